"""The wiring: settings, URLs, WSGI, the Celery app and the one schedule.

Importing the package makes the Celery app (config/celery.py), which hands itself to
minwon.core.jobs: every process that loads the settings can send tasks, and nothing under
minwon/ imports config.
"""

from config.celery import app as celery_app

__all__ = ["celery_app"]
