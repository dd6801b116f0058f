"""The error a bad start-up setting raises (no imports, so `minwon` can catch it before Django).

The wiring's settings (config/env.py) raise it naming the variable; `minwon.cli.main` prints the
message on one line and exits with status 2.
"""

from __future__ import annotations


class ConfigurationError(Exception):
    """A start-up setting is missing or malformed; the message names the variable."""
