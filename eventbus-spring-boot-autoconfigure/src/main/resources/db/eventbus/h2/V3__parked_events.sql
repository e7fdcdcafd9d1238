CREATE TABLE ${prefix}outbox_failed (
    id            BIGINT        PRIMARY KEY,
    event_id      UUID          NOT NULL,
    event_type    VARCHAR(255)  NOT NULL,
    event_version INT           NOT NULL,
    topic         VARCHAR(255)  NOT NULL,
    event_key     VARCHAR(255),
    lane          INT           NOT NULL,
    source        VARCHAR(255)  NOT NULL,
    payload       CHARACTER LARGE OBJECT NOT NULL,
    headers       CHARACTER LARGE OBJECT,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    failed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    failure       VARCHAR(2000) NOT NULL
);
