"""Routing: reads Korean complaints and suggests where they belong (DESIGN.md `routing/`)."""
