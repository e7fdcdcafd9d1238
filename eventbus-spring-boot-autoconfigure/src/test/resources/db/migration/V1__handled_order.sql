CREATE TABLE handled_order (
    event_id        VARCHAR(36)  NOT NULL,
    order_id        VARCHAR(100) NOT NULL,
    sequence_number INT          NOT NULL,
    attempt         INT          NOT NULL
);
