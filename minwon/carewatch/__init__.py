"""고독사 제로: check-on-welfare monitoring from TV activity (telemetry, detection, incidents)."""
