CREATE TABLE flushed_order (
    order_id VARCHAR(100) NOT NULL PRIMARY KEY
);
