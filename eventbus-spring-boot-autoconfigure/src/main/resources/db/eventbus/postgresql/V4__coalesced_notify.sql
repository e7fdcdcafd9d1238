DROP TRIGGER ${prefix}outbox_inserted ON ${prefix}outbox;
DROP FUNCTION ${prefix}outbox_notify();
