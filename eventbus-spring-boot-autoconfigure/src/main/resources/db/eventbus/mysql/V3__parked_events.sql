CREATE TABLE ${prefix}outbox_failed (
    id            BIGINT        NOT NULL PRIMARY KEY,
    event_id      CHAR(36)      NOT NULL,
    event_type    VARCHAR(255)  NOT NULL,
    event_version INT           NOT NULL,
    topic         VARCHAR(255)  NOT NULL,
    event_key     VARCHAR(255),
    lane          INT           NOT NULL,
    source        VARCHAR(255)  NOT NULL,
    payload       LONGTEXT      NOT NULL,
    headers       TEXT,
    created_at    DATETIME(6)   NOT NULL,
    failed_at     DATETIME(6)   NOT NULL,
    failure       VARCHAR(2000) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
