"""The load harness: real pages and their floor under gunicorn, driven by locust (see run.py)."""
