CREATE INDEX ${prefix}outbox_pending ON ${prefix}outbox (published_at, id);
DROP INDEX ${prefix}outbox_state ON ${prefix}outbox;
