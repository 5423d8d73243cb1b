"""Settings for the gunicorn that test_gunicorn_privacy starts: production's own, logging included,
except that static files come from their finders, so the test needs no collectstatic run."""

from misconduct.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
