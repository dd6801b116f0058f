"""Notifications: the outbox (one row per event and recipient), channels, delivery log."""
