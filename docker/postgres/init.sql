-- Runs once, when the postgres container starts with an empty data directory.
-- One database per sample service; each service's Flyway migrations create its tables.
CREATE DATABASE orders;
CREATE DATABASE inventory;
