CREATE TABLE ${prefix}outbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      UUID         NOT NULL,
    event_type    VARCHAR(255) NOT NULL,
    event_version INT          NOT NULL,
    topic         VARCHAR(255) NOT NULL,
    event_key     VARCHAR(255),
    lane          INT          NOT NULL,
    source        VARCHAR(255) NOT NULL,
    payload       TEXT         NOT NULL,
    headers       TEXT,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at  TIMESTAMP WITH TIME ZONE
);

CREATE INDEX ${prefix}outbox_pending ON ${prefix}outbox (id) WHERE published_at IS NULL;
CREATE INDEX ${prefix}outbox_pending_lane ON ${prefix}outbox (lane, id) WHERE published_at IS NULL;
CREATE INDEX ${prefix}outbox_published ON ${prefix}outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE ${prefix}outbox_lane (
    lane INT PRIMARY KEY
);

INSERT INTO ${prefix}outbox_lane (lane) SELECT generate_series(0, 63);

CREATE FUNCTION ${prefix}outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('${prefix}outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER ${prefix}outbox_inserted AFTER INSERT ON ${prefix}outbox
    FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}outbox_notify();

CREATE TABLE ${prefix}processed_event (
    consumer_group VARCHAR(255) NOT NULL,
    event_id       UUID         NOT NULL,
    processed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (consumer_group, event_id)
);

CREATE INDEX ${prefix}processed_event_processed_at ON ${prefix}processed_event (processed_at);
