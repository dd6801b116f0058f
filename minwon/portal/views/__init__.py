"""Citizen web interface (/): thin views (parse, check access, call a service or selector),
one module per part of the site; `session` is what they share about the visitor."""
