"""Values shared by tests (the root conftest.py uses the same password)."""

PASSWORD = "correct-horse-battery-9"
