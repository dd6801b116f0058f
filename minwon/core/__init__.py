"""Shared kernel: base model, application errors, audit log, clock, masking."""
