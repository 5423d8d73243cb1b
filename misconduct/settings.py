"""One settings module, configured from the environment.

With nothing set the app runs for development: SQLite file, Celery tasks in-process. Production
(DEBUG off) refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

import hashlib
import hmac
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import envbool, envint, envlist, envsecret

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)
# Demo mode: demo logins exist and may skip two-factor. Never without DEBUG.
DEMO_MODE = envbool("DEMO_MODE", False)
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured("DEMO_MODE needs DEBUG: demo logins never run in production mode.")

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-only-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files (no CDN)
    "guardian",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_celery_beat",
    "cases",
    "cases.risk",
    "cases.fairness",
    "cases.documents",
    "vetting",
    "hotline",
    "misconduct",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "misconduct.urls"
WSGI_APPLICATION = "misconduct.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.nav.nav_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envsecret("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = envsecret("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A cache outage must not hold a request: fail in well under a second, never hang.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("CACHE_SOCKET_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without activity. Database sessions, each request's refresh one UPDATE
# (misconduct/sessions.py says why not the cache).
SESSION_ENGINE = "misconduct.sessions"
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login lock-out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
# One person mistyping from a shared office address must not lock out everyone behind it: lock the
# pair (username, address), which still stops guessing at one account from one place.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

OTP_TOTP_ISSUER = "DPS Misconduct Tracker"

# Guardian: anonymous users hold no object permissions at all.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Form widgets render from templates/django/forms/widgets/ (GOV.UK Frontend classes); "django.forms" keeps
# Django's own widget templates findable for the rest.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
INSTALLED_APPS.append("django.forms")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded evidence lives outside the web root and is never served by URL.
PRIVATE_MEDIA_ROOT = Path(envsecret("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private-media")

# Case documents (docs/documents.md): a private storage, local by default, an S3-compatible bucket
# (django-storages, `pip install .[s3]`) when DOCUMENTS_S3_BUCKET is set. Never a public URL.
# DOCUMENTS_ROOT unset: PRIVATE_MEDIA_ROOT/documents, read on each use (cases/documents/storage.py).
DOCUMENTS_ROOT = envsecret("DOCUMENTS_ROOT") or None
DOCUMENTS_S3_BUCKET = os.environ.get("DOCUMENTS_S3_BUCKET", "")
if DOCUMENTS_S3_BUCKET:
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": os.environ.get("DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DOCUMENTS_S3_REGION") or None,
            "access_key": envsecret("DOCUMENTS_S3_ACCESS_KEY"),
            "secret_key": envsecret("DOCUMENTS_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": "case-documents",
        },
    }
else:
    STORAGES["documents"] = {"BACKEND": "cases.documents.storage.PrivateDocumentStorage"}
# What an upload may be: content types as sniffed from the bytes (never the name), sizes in bytes.
DOCUMENTS_ALLOWED_TYPES = envlist(
    "DOCUMENTS_ALLOWED_TYPES",
    "application/pdf,image/jpeg,image/png,text/plain,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
DOCUMENTS_MAX_BYTES = envint("DOCUMENTS_MAX_BYTES", 25 * 1024 * 1024)
DOCUMENTS_MAX_FILES = envint("DOCUMENTS_MAX_FILES", 10)
# A zip-based document (.docx) is opened before it is accepted: its unpacked size is capped.
DOCUMENTS_MAX_UNPACKED_BYTES = envint("DOCUMENTS_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
DOCUMENTS_MAX_IMAGE_PIXELS = envint("DOCUMENTS_MAX_IMAGE_PIXELS", 60_000_000)
# Antivirus: the ClamAV daemon on a socket or host:port; neither set, uploads are not scanned (a warning is logged).
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = envint("CLAMD_PORT", 3310)
# Retention (years) by document type and case outcome; "*" is any other outcome, or no case. Force policy, not
# regulation: these defaults are placeholders for the force's records-management schedule (cases/documents/
# retention.py names the texts that govern it; docs/documents.md says how to change them).
DOCUMENTS_RETENTION_YEARS: dict[str, dict[str, int]] = {
    "*": {
        "*": 6,
        "dismissal": 100,
        "dismissal_with_notice": 100,
        "reduction_in_rank": 15,
        "final_written_warning": 10,
        "written_warning": 6,
    },
}

# Public hotline. Rates are django-ratelimit strings ("count/period", period s, m, h or d); the
# limits live in the cache (Redis in production: every worker must see the same counters).
RATELIMIT_USE_CACHE = "default"
# Lists count exactly up to this many rows and show the planner's estimate above it (cases/pagination.py).
EXACT_COUNT_LIMIT = int(os.environ.get("EXACT_COUNT_LIMIT", "5000"))

HOTLINE_SUBMIT_RATE_PER_IP = os.environ.get("HOTLINE_SUBMIT_RATE_PER_IP", "5/h")
HOTLINE_SUBMIT_RATE_GLOBAL = os.environ.get("HOTLINE_SUBMIT_RATE_GLOBAL", "600/m")
HOTLINE_LOOKUP_RATE_PER_IP = os.environ.get("HOTLINE_LOOKUP_RATE_PER_IP", "10/h")
HOTLINE_LOOKUP_RATE_GLOBAL = os.environ.get("HOTLINE_LOOKUP_RATE_GLOBAL", "300/m")
# Receipt codes are hashed with argon2id under a fixed salt so that look-up is by hash. Changing
# the salt or the costs makes every receipt already handed out unusable.
HOTLINE_RECEIPT_SALT = envsecret("HOTLINE_RECEIPT_SALT") or ""
# 1 pass over 4 MiB is ~2.5 ms a hash: codes carry 100 random bits, so guessing is hopeless at any
# cost, and a costlier hash would take the submission rate below 100/s on 2 cores (bench/README.md).
HOTLINE_ARGON2_TIME_COST = envint("HOTLINE_ARGON2_TIME_COST", 1)
HOTLINE_ARGON2_MEMORY_KIB = envint("HOTLINE_ARGON2_MEMORY_KIB", 4096)
# Failed look-ups wait base * 2^(failures-1) seconds, up to the cap, per session and address bucket.
HOTLINE_LOOKUP_DELAY_BASE = float(os.environ.get("HOTLINE_LOOKUP_DELAY_BASE", "0.25"))
HOTLINE_LOOKUP_DELAY_CAP = float(os.environ.get("HOTLINE_LOOKUP_DELAY_CAP", "5"))
# A reporter's session reaches their one report and ends after this many idle seconds.
HOTLINE_SESSION_IDLE_SECONDS = envint("HOTLINE_SESSION_IDLE_SECONDS", 10 * 60)

# --- Hotline: rate-limit keys, the sender's address behind a proxy, a cache that is down ----------
# (hotline/ratelimits.py explains the rule.) Rate-limit cache keys are HMACs of the address under
# this key, so they cannot be reversed by hashing candidate addresses. By default it is derived from
# SECRET_KEY (rotating that only resets the counters); HOTLINE_RATELIMIT_KEY(_FILE) sets its own.
HOTLINE_RATELIMIT_KEY = (
    envsecret("HOTLINE_RATELIMIT_KEY")
    or hmac.new(SECRET_KEY.encode(), b"hotline-ratelimit-key", hashlib.sha256).hexdigest()
)
# Proxies (addresses or networks) whose X-Forwarded-For the hotline believes; none by default.
HOTLINE_TRUSTED_PROXIES = envlist("HOTLINE_TRUSTED_PROXIES")
# While the cache is unreachable the hotline counts in each process; it tries the cache again after this.
HOTLINE_CACHE_RETRY_SECONDS = envint("HOTLINE_CACHE_RETRY_SECONDS", 30)
# --- end of the hotline block ----------------------------------------------------------------------

# API clients authenticate with a token (django-rest-knox, cases/api/authentication.py); staff in the
# browser with their session and second factor.
INSTALLED_APPS.append("knox")
API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", 90)
# Requests per client (or staff member) per period, "count/period" (s, m, h, d); past it, 429.
API_RATE = os.environ.get("API_RATE", "600/m")
# The key of the oversight readers' pseudonymous officer ids (cases/api/pseudonyms.py): outside the
# database; rotating it gives every oversight reader a new, unlinkable set of ids.
OVERSIGHT_PSEUDONYM_KEY = (
    envsecret("OVERSIGHT_PSEUDONYM_KEY")
    or hmac.new(SECRET_KEY.encode(), b"oversight-pseudonym-key", hashlib.sha256).hexdigest()
)
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 - a model label, not a secret
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "TOKEN_TTL": None, "AUTO_REFRESH": False}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cases.api.authentication.ApiClientTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cases.api.permissions.RoleRequired"],
    "DEFAULT_THROTTLE_CLASSES": ["cases.api.throttles.ApiClientRateThrottle"],
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    # 50 rows a page, `page_size` up to 100, counts estimated over EXACT_COUNT_LIMIT (cases/api/reads.py).
    "DEFAULT_PAGINATION_CLASS": "cases.api.reads.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["cases.api.reads.ApiFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DPS Misconduct Tracker API",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: with no broker configured, tasks run in-process (development and the demo).
CELERY_BROKER_URL = envsecret("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = envsecret("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A broker outage must not hold a request (cases/queue.py: the outbox keeps the task): connect in
# half a second or give up, no publish retries; the result backend likewise. Worker connections
# read with a socket timeout above the BRPOP timeout (1 s) so a dead broker is noticed.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 3,
    "socket_keepalive": True,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_REDIS_SOCKET_TIMEOUT = 3
CELERY_BEAT_SCHEDULE: dict = {
    "outbox-drain-every-minute": {
        "task": "cases.tasks.outbox_drain_task",
        "schedule": timedelta(minutes=1),
    },
    "guardian-clean-orphans-nightly": {
        "task": "cases.tasks.guardian_orphans_clean",
        "schedule": crontab(hour=3, minute=15),
    },
    "risk-recompute-all-nightly": {
        "task": "cases.risk.tasks.risk_recompute_all_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "fairness-summary-refresh-nightly": {
        "task": "cases.fairness.tasks.allegation_months_refresh_all_task",
        "schedule": crontab(hour=2, minute=45),
    },
    "vetting-clearance-expiry-daily": {
        "task": "vetting.tasks.clearance_expiry_daily",
        "schedule": crontab(hour=6, minute=0),
    },
    "vetting-notices-resend-hourly": {
        "task": "vetting.tasks.clearance_notices_send_task",
        "schedule": crontab(minute=20),
    },
    "documents-integrity-weekly": {
        "task": "cases.documents.tasks.documents_verify_all_task",
        "schedule": crontab(day_of_week="sunday", hour=1, minute=0),
    },
    "documents-retention-review-monthly": {
        "task": "cases.documents.tasks.documents_retention_review_task",
        "schedule": crontab(day_of_month=1, hour=5, minute=0),
    },
    "vetting-revetting-draw-monthly": {
        "task": "vetting.tasks.revetting_draw_monthly",
        "schedule": crontab(day_of_month=1, hour=6, minute=30),
    },
}

# Vetting: where the vetting team's notices go, and the monthly randomised re-vetting sample (percent of
# current clearances). Mail goes to the console in development and the demo.
VETTING_TEAM_EMAIL = os.environ.get("VETTING_TEAM_EMAIL", "vetting-unit@localhost")
VETTING_REVETTING_PERCENT = os.environ.get("VETTING_REVETTING_PERCENT", "1.0")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dps-tracker@localhost")

AUDITLOG_INCLUDE_ALL_MODELS = False

# Production hardening; all on whenever DEBUG is off.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No log line holds a visitor's address: the filter masks anything shaped like an IP address
# (Django's own messages can quote a Host header; hotline reporters must never be traceable).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_addresses": {"()": "misconduct.logfilters.AddressRedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_addresses"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- Boundary hardening: NUL bytes, Content-Security-Policy, no-store -------------------------------
# Kept in one block on purpose (see misconduct/middleware.py for why each rule holds everywhere).
INSTALLED_APPS.append("csp")
_AFTER_STATIC = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
MIDDLEWARE[_AFTER_STATIC:_AFTER_STATIC] = [
    "misconduct.middleware.NoStoreMiddleware",
    "misconduct.middleware.RejectNulBytesMiddleware",
]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
# Nothing inline: no <script> body, no style= attribute, no on* handler. Scripts and styles come from
# our own static files only; the public hotline pages get the same policy as the staff pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Second-factor enrolment (misconduct/enrolment.py) -----------------------------------------------
# Hours an administrator's one-time enrolment code stays valid.
TWO_FACTOR_ENROLMENT_CODE_HOURS = envint("TWO_FACTOR_ENROLMENT_CODE_HOURS", 72)

# --- API schema: stable enum names (several models have a "status") ----------------------------------
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "CaseStatusEnum": "cases.models.CaseStatus",
    "OnyxReviewStatusEnum": "cases.models.OnyxStatus",
    "OfficerStatusEnum": "cases.models.EmploymentStatus",
    "AllegationCategoryEnum": "cases.models.AllegationCategory",
    "AllegationStatusEnum": "cases.models.AllegationStatus",
    "CaseOutcomeEnum": "cases.models.Outcome",
    "HotlineCategoryEnum": "hotline.models.HotlineCategory",
    "HotlineStatusEnum": "hotline.models.HotlineStatus",
    "VettingReviewStatusEnum": "vetting.models.VettingReviewStatus",
    "VettingOutcomeEnum": "vetting.models.VettingOutcome",
    "RiskTriageStatusEnum": "cases.risk.models.TriageStatus",
}
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "misconduct.api.schema_objects_closed",
]
