"""Moves the clock of a process the test suite starts (a Celery worker, gunicorn) to the suite's NOW.

tests/conftest.py puts this folder first on PYTHONPATH and sets TEST_NOW for its subprocesses; Python
imports `sitecustomize` at start-up, so the child's clock agrees with the tests' frozen one.
"""

import os

if os.environ.get("TEST_NOW"):
    import datetime as dt
    import zoneinfo

    import time_machine

    _moment = dt.datetime.fromisoformat(os.environ["TEST_NOW"])
    if _moment.tzinfo is None:
        _moment = _moment.replace(tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    time_machine.travel(_moment, tick=True).start()
