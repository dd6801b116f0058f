"""The complaint lifecycle: intake, registration, assignment, transfer, supplement, answer."""
