CREATE TABLE stock (
    sku       VARCHAR(50) PRIMARY KEY,
    available INT         NOT NULL CHECK (available >= 0),
    reserved  INT         NOT NULL CHECK (reserved >= 0)
);

CREATE TABLE reservation (
    order_id UUID        PRIMARY KEY,
    sku      VARCHAR(50) NOT NULL REFERENCES stock (sku),
    quantity INT         NOT NULL
);
