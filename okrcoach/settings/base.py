"""Settings shared by every environment. Values come from the environment and are validated here,
so a malformed value stops the process at start-up instead of misbehaving later."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets Django's generic classes be subscripted at run time (forms.ModelChoiceField[Team]), as
# the strict type check asks.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env_str(
    "SECRET_KEY", "insecure-dev-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",  # the site operator's list of organisations (staff only)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "ninja",
    "okrcoach.core",
    "okrcoach.accounts",
    "okrcoach.orgs",
    "okrcoach.api",
    "okrcoach.comms",
    "okrcoach.okrs",
    "okrcoach.academy",
    "okrcoach.insights",
    "okrcoach.growth",
    "okrcoach.demo",  # last: seeds every app above; nothing imports it
]

MIDDLEWARE = [
    "okrcoach.core.metrics.MetricsMiddleware",
    # Outermost: static files and the bad-Host 400 get the CSP too (core/middleware.py).
    "okrcoach.core.middleware.BaselineSecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: with a read replica, the session read follows read-your-writes too.
    "okrcoach.core.replicas.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "okrcoach.orgs.middleware.OrganisationMiddleware",
    # After the organisation middleware: on its pages the user comes with the membership.
    "okrcoach.accounts.middleware.UserTimezoneMiddleware",
    "okrcoach.api.middleware.ApiJsonErrorsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "okrcoach.urls"
WSGI_APPLICATION = "okrcoach.wsgi.application"
ASGI_APPLICATION = "okrcoach.asgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "csp.context_processors.nonce",
                "okrcoach.core.context_processors.csp_nonce_alias",
                "okrcoach.orgs.context_processors.organisation",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{REPO_DIR / 'var' / 'okrcoach.sqlite3'}")
if DATABASE_URL.startswith("sqlite:///") and ":memory:" not in DATABASE_URL:
    Path(DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; IMMEDIATE transactions take the
    # write lock up front, so two writers queue on the busy timeout instead of failing with
    # "database is locked" when a read transaction tries to upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a connection waits for another's write lock before "database is locked".
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
# A PostgreSQL streaming replica (optional): reads in web requests go there, writes and
# transactions to the primary; whoever just wrote reads the primary for
# READ_YOUR_WRITES_SECONDS (okrcoach/core/replicas.py, docs/scaling.md).
REPLICA_DATABASE_URL = os.environ.get("REPLICA_DATABASE_URL", "")
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10)
if REPLICA_DATABASE_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("REPLICA_DATABASE_URL needs a PostgreSQL DATABASE_URL.")
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
    # The test run has no second copy: the replica alias reads the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# PostgreSQL's JIT compiler is for long analytical queries: on this app's short queries the
# planner's cost estimates (recursive reporting-line CTEs) tripped it and compiling took over a
# second per company-tree request at 10,000 people, 98% of the statement. Off unless PG_JIT=true.
for _db in DATABASES.values():
    if _db["ENGINE"] == "django.db.backends.postgresql" and not env_bool("PG_JIT", False):
        _options = _db.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# Server-side binding (Django's OPTIONS["server_side_binding"]): parameters travel apart from
# the SQL, through psycopg's Cursor instead of Django's default ClientCursor, and psycopg prepares
# a statement once it has run DB_PREPARE_THRESHOLD times on a connection: PostgreSQL then keeps
# its parse tree and, after five runs, usually one generic plan for it instead of parsing and
# planning it again on every request. That cut PostgreSQL's CPU per request by 44-71% on every
# page at 10,000 people (perf/PREPARED_STATEMENTS.md); it pays off only with connections
# that outlive a request (production's pool, or DB_CONN_MAX_AGE). Prepared statements live in a
# server session: behind a transaction-mode pooler (pgbouncer before 1.21, or without
# max_prepared_statements) set DB_PREPARE_THRESHOLD=off, which keeps the binding and never
# prepares. PG_PLAN_CACHE_MODE=force_custom_plan keeps the preparing but plans every run with
# its own parameters again (most of the saving is the plan: about 15% of it remains), should a
# generic plan ever suit one tenant badly.
DB_SERVER_SIDE_BINDING = env_bool("DB_SERVER_SIDE_BINDING", True)
_threshold = os.environ.get("DB_PREPARE_THRESHOLD", "").strip().lower()
DB_PREPARE_THRESHOLD: int | None = (
    None if _threshold in {"off", "none"} else env_int("DB_PREPARE_THRESHOLD", 5)
)
if DB_PREPARE_THRESHOLD is not None and DB_PREPARE_THRESHOLD < 0:
    raise ImproperlyConfigured("DB_PREPARE_THRESHOLD must be 0 or more, or off.")
PG_PLAN_CACHE_MODE = env_str("PG_PLAN_CACHE_MODE", "auto")
if PG_PLAN_CACHE_MODE not in {"auto", "force_custom_plan", "force_generic_plan"}:
    raise ImproperlyConfigured(
        "PG_PLAN_CACHE_MODE must be auto, force_custom_plan or force_generic_plan."
    )
for _db in DATABASES.values():
    if _db["ENGINE"] == "django.db.backends.postgresql" and DB_SERVER_SIDE_BINDING:
        _options = _db.setdefault("OPTIONS", {})
        _options["server_side_binding"] = True
        # Django's own default is None (never prepare), for the poolers above.
        _options["prepare_threshold"] = DB_PREPARE_THRESHOLD
        if PG_PLAN_CACHE_MODE != "auto":
            _options["options"] = (
                f"{_options.get('options', '')} -c plan_cache_mode={PG_PLAN_CACHE_MODE}".strip()
            )
DATABASE_ROUTERS = ["okrcoach.core.replicas.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "orgs:root"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Brute force: lock the (username, IP) pair, so an attacker elsewhere cannot lock a real user out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR unless CLIENT_IP_HEADER names the header a trusted reverse
# proxy sets (README, "Deployment"). Default: trust no header.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "okrcoach.core.throttle.axes_client_ip"
# Credential stuffing: failed sign-ins from one address across any accounts (core/throttle.py).
# Never per account alone, so nobody can lock another person out from elsewhere.
THROTTLE_LOGIN_FAILURES_PER_ADDRESS = env_int("THROTTLE_LOGIN_FAILURES_PER_ADDRESS", 20)
THROTTLE_LOGIN_WINDOW = env_int("THROTTLE_LOGIN_WINDOW", 15 * 60)
# Password-reset and invitation emails (per hour).
THROTTLE_EMAILS_PER_ADDRESS = env_int("THROTTLE_EMAILS_PER_ADDRESS", 5)
THROTTLE_EMAILS_PER_ACCOUNT = env_int("THROTTLE_EMAILS_PER_ACCOUNT", 3)
THROTTLE_INVITATIONS_PER_ADMIN = env_int("THROTTLE_INVITATIONS_PER_ADMIN", 100)
THROTTLE_EMAIL_WINDOW = env_int("THROTTLE_EMAIL_WINDOW", 60 * 60)
# The coach API: requests per token per minute, and the body size it accepts.
THROTTLE_COACH_PER_TOKEN = env_int("THROTTLE_COACH_PER_TOKEN", 10)
THROTTLE_COACH_WINDOW = env_int("THROTTLE_COACH_WINDOW", 60)
THROTTLE_COACH_BYTES_PER_TOKEN = env_int("THROTTLE_COACH_BYTES_PER_TOKEN", 2 * 1024 * 1024)
COACH_MAX_BODY_BYTES = env_int("COACH_MAX_BODY_BYTES", 1200 * 1024)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(REPO_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(REPO_DIR / "var" / "media")))
# Export files (XLSX jobs) are deleted this many hours after they are ready
# (`manage.py delete_expired_exports`, hourly).
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
# A CSV export of more rows than this is built by the task worker, not streamed in the request:
# gunicorn's sync worker does not reset its timeout while a response streams (30 s shipped;
# 5-7 s for the 34,000 rows of 10,000 people here), so the streamed download stays far below it.
EXPORT_STREAM_MAX_ROWS = env_int("EXPORT_STREAM_MAX_ROWS", 20000)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "okrcoach <okrcoach@localhost>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Outgoing webhooks: first retry after this many seconds, doubling each time; plain http only
# when allowed (development, tests on loopback).
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
# Webhooks to loopback and private addresses (an on-premises chat server): off by default (SSRF).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)

TASKS = {"default": {"BACKEND": "okrcoach.core.tasks.DatabaseTaskBackend"}}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Self-service: anyone may start a new organisation at /signup/ (off: only the one-time setup
# form of an empty installation, `manage.py create_organisation` and invitations).
ALLOW_ORGANISATION_SIGNUP = env_bool("ALLOW_ORGANISATION_SIGNUP", False)

# Joining by email domain: a person whose address is at a domain an organisation lists (its
# admin settings) may join it as a member at /join/ once they follow the emailed link. Off by
# default; public mail providers can never be listed.
ALLOW_DOMAIN_JOIN = env_bool("ALLOW_DOMAIN_JOIN", False)

# Organisation invitations stay valid this long.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# Cache: Redis where the deployment has one (CACHE_URL, or REDIS_URL), shared by every app
# server; otherwise files under CACHE_DIR, shared by every process of this host (the gunicorn
# workers and the task worker: okrcoach/core/filecache.py). Several hosts need Redis. Only data
# versioned per organisation on write is cached (okrcoach.core.cache), besides sessions and the
# rate-limit counters.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(env_str("CACHE_DIR", str(REPO_DIR / "var" / "cache")))
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "okrcoach"),
            "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "okrcoach.core.filecache.SharedFileCache",
            "LOCATION": str(CACHE_DIR),
            "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
            # Sessions live here too (one file each): room for every signed-in person.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        }
    }
# Sessions are read from the shared cache (a database read only on a miss) and written through
# to the database. Signing out deletes both, so no process of the deployment keeps a signed-out
# session: the cache is shared (Redis, or this host's files above; several hosts need Redis).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Rendered page fragments (okrs/fragments.py) apart from the rest, so that many of them can never
# crowd out what the default cache holds (rate-limit counters, organisation versions).
if CACHE_URL:
    CACHES["fragments"] = {
        **CACHES["default"],
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "okrcoach") + ":fragments",
        "TIMEOUT": 60 * 60,
    }
else:
    CACHES["fragments"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_ENTRIES", 5000)},
    }

# Who may read the Prometheus metrics at /metrics.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
