"""Citizen web interface (/): pages call complaint services and selectors."""
