"""Settings of the floor server: Django's request handling and database connection and nothing else.

No installed app, no middleware, no template engine; the same database (DATABASE_URL, with the
app's DATABASE_CONN_MAX_AGE), time zone and USE_TZ as misconduct.settings, so each connection is
set up the same way. BENCH_FLOOR_STATEMENTS names the statements.json that capture.py wrote.
"""

import os

import dj_database_url

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "floor-server-signs-nothing")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
TEMPLATES: list[dict] = []
ROOT_URLCONF = "bench.load.floor"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
    )
}
USE_TZ = True
TIME_ZONE = "Europe/London"
USE_I18N = False
BENCH_FLOOR_STATEMENTS = os.environ.get("BENCH_FLOOR_STATEMENTS", "")
