CREATE TABLE ${prefix}outbox (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id      CHAR(36)     NOT NULL,
    event_type    VARCHAR(255) NOT NULL,
    event_version INT          NOT NULL,
    topic         VARCHAR(255) NOT NULL,
    event_key     VARCHAR(255),
    lane          INT          NOT NULL,
    source        VARCHAR(255) NOT NULL,
    payload       LONGTEXT     NOT NULL,
    headers       TEXT,
    created_at    DATETIME(6)  NOT NULL,
    published_at  DATETIME(6),
    INDEX ${prefix}outbox_state (published_at, lane, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE ${prefix}outbox_lane (
    lane INT NOT NULL PRIMARY KEY
) ENGINE = InnoDB;

INSERT INTO ${prefix}outbox_lane (lane)
WITH RECURSIVE lanes (n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM lanes WHERE n < 63)
SELECT n FROM lanes;

CREATE TABLE ${prefix}processed_event (
    consumer_group VARCHAR(255) NOT NULL,
    event_id       CHAR(36)     NOT NULL,
    processed_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (consumer_group, event_id),
    INDEX ${prefix}processed_event_processed_at (processed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
