INSERT INTO stock (sku, available, reserved) VALUES
    ('BOOK-1', 10, 0),
    ('MUG-1', 5, 0),
    ('LAMP-1', 1, 0);
