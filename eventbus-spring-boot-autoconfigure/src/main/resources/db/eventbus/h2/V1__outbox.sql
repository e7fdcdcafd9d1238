CREATE TABLE ${prefix}outbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      UUID         NOT NULL,
    event_type    VARCHAR(255) NOT NULL,
    event_version INT          NOT NULL,
    topic         VARCHAR(255) NOT NULL,
    event_key     VARCHAR(255),
    lane          INT          NOT NULL,
    source        VARCHAR(255) NOT NULL,
    payload       CHARACTER LARGE OBJECT NOT NULL,
    headers       CHARACTER LARGE OBJECT,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at  TIMESTAMP WITH TIME ZONE
);

CREATE INDEX ${prefix}outbox_state ON ${prefix}outbox (published_at, lane, id);

CREATE TABLE ${prefix}outbox_lane (
    lane INT PRIMARY KEY
);

INSERT INTO ${prefix}outbox_lane (lane) SELECT X FROM SYSTEM_RANGE(0, 63);

CREATE TABLE ${prefix}processed_event (
    consumer_group VARCHAR(255) NOT NULL,
    event_id       UUID         NOT NULL,
    processed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (consumer_group, event_id)
);

CREATE INDEX ${prefix}processed_event_processed_at ON ${prefix}processed_event (processed_at);
