CREATE TABLE catalog (
    sku  VARCHAR(50)  PRIMARY KEY,
    name VARCHAR(200) NOT NULL
);

INSERT INTO catalog (sku, name) VALUES
    ('BOOK-1', 'Designing Data-Intensive Applications'),
    ('MUG-1', 'Coffee mug'),
    ('LAMP-1', 'Desk lamp');

CREATE TABLE orders (
    id       UUID         PRIMARY KEY,
    version  BIGINT       NOT NULL,
    customer VARCHAR(200) NOT NULL,
    sku      VARCHAR(50)  NOT NULL REFERENCES catalog (sku),
    quantity INT          NOT NULL CHECK (quantity > 0),
    status   VARCHAR(20)  NOT NULL,
    reason   VARCHAR(500)
);
