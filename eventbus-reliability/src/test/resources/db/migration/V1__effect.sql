CREATE TABLE effect (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id  UUID         NOT NULL,
    tick_key  VARCHAR(50)  NOT NULL,
    sequence  BIGINT       NOT NULL,
    worker    VARCHAR(100) NOT NULL
);
