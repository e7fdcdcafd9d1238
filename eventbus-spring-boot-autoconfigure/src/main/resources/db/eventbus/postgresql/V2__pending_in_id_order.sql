DROP INDEX ${prefix}outbox_pending_lane;
