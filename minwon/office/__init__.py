"""Officer web interface (/office/): pages call complaint services and selectors."""
