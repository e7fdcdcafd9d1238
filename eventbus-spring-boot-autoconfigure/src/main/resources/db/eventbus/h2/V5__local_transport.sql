CREATE TABLE ${prefix}local_message (
    sequence_no  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic        VARCHAR(255) NOT NULL,
    partition_no INT          NOT NULL,
    event_key    VARCHAR(255),
    headers      CHARACTER LARGE OBJECT NOT NULL,
    body         BINARY LARGE OBJECT,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ${prefix}local_message_partition ON ${prefix}local_message (topic, partition_no, sequence_no);

CREATE TABLE ${prefix}local_partition (
    topic        VARCHAR(255) NOT NULL,
    partition_no INT          NOT NULL,
    head         BIGINT       NOT NULL,
    PRIMARY KEY (topic, partition_no)
);

CREATE TABLE ${prefix}local_cursor (
    consumer_group VARCHAR(255) NOT NULL,
    topic          VARCHAR(255) NOT NULL,
    partition_no   INT          NOT NULL,
    sequence_no    BIGINT       NOT NULL,
    owner_id       VARCHAR(64),
    lease_until    TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (consumer_group, topic, partition_no)
);

CREATE TABLE ${prefix}local_dead_letter (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer_group   VARCHAR(255)  NOT NULL,
    topic            VARCHAR(255)  NOT NULL,
    partition_no     INT           NOT NULL,
    sequence_no      BIGINT        NOT NULL,
    event_id         VARCHAR(255),
    event_key        VARCHAR(255),
    headers          CHARACTER LARGE OBJECT NOT NULL,
    body             BINARY LARGE OBJECT,
    cause_class      VARCHAR(255)  NOT NULL,
    cause_message    VARCHAR(2000),
    attempts         INT           NOT NULL,
    dead_lettered_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ${prefix}local_dead_letter_topic ON ${prefix}local_dead_letter (topic, id);
