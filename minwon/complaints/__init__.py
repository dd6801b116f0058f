"""The complaint lifecycle: intake, registration, assignment, transfer, supplement, extension, answer."""
