"""Webhooks: integrators subscribe to complaint events; deliveries are signed and retried."""
