CREATE TABLE ${prefix}local_message (
    sequence_no  BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    topic        VARCHAR(255) NOT NULL,
    partition_no INT          NOT NULL,
    event_key    VARCHAR(255),
    headers      LONGTEXT     NOT NULL,
    body         LONGBLOB,
    created_at   DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE INDEX ${prefix}local_message_partition ON ${prefix}local_message (topic, partition_no, sequence_no);

CREATE TABLE ${prefix}local_partition (
    topic        VARCHAR(255) NOT NULL,
    partition_no INT          NOT NULL,
    head         BIGINT       NOT NULL,
    PRIMARY KEY (topic, partition_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE ${prefix}local_cursor (
    consumer_group VARCHAR(255) NOT NULL,
    topic          VARCHAR(255) NOT NULL,
    partition_no   INT          NOT NULL,
    sequence_no    BIGINT       NOT NULL,
    owner_id       VARCHAR(64),
    lease_until    DATETIME(6),
    PRIMARY KEY (consumer_group, topic, partition_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE ${prefix}local_dead_letter (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    consumer_group   VARCHAR(255)  NOT NULL,
    topic            VARCHAR(255)  NOT NULL,
    partition_no     INT           NOT NULL,
    sequence_no      BIGINT        NOT NULL,
    event_id         VARCHAR(255),
    event_key        VARCHAR(255),
    headers          LONGTEXT      NOT NULL,
    body             LONGBLOB,
    cause_class      VARCHAR(255)  NOT NULL,
    cause_message    VARCHAR(2000),
    attempts         INT           NOT NULL,
    dead_lettered_at DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE INDEX ${prefix}local_dead_letter_topic ON ${prefix}local_dead_letter (topic, id);
