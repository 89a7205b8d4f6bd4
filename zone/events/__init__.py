"""Events for the authorities: an outbox written in the same transaction as the change it reports."""
