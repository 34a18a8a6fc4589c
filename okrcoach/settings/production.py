from .base import *  # noqa: F403
from .base import env_bool, env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preload commits the whole domain (and its subdomains) to HTTPS in browsers for months: opt in.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not SECURE_HSTS_PRELOAD:
    # Django's deploy check suggests preload (W021); leaving it off is the decision above.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# PostgreSQL through Django's psycopg connection pool (a new connection per request cost about
# 20 ms of PostgreSQL CPU). The pool is per process; max size = threads per worker is enough.
# The replica (REPLICA_DATABASE_URL) gets a pool of its own.
for _alias, _db in DATABASES.items():  # noqa: F405
    if _db["ENGINE"] != "django.db.backends.postgresql":
        continue
    if env_bool("DB_POOL", True):
        _db["CONN_MAX_AGE"] = 0  # the pool keeps them instead
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", 1),
            "max_size": env_int("DB_POOL_MAX_SIZE", 4),
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
    else:
        _db["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
        _db["CONN_HEALTH_CHECKS"] = True
        # Without the pool is how PgBouncer in transaction mode is run (docs/scaling.md), where
        # a statement prepared on one server connection is missing on the next: no preparing
        # unless DB_PREPARE_THRESHOLD asks for it (PgBouncer 1.21+ with max_prepared_statements).
        if not env_str("DB_PREPARE_THRESHOLD", "") and "prepare_threshold" in _db["OPTIONS"]:
            _db["OPTIONS"]["prepare_threshold"] = None

# One JSON object per log line (LOG_FORMAT=text for people reading a terminal).
if env_str("LOG_FORMAT", "json") == "json":
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "okrcoach.core.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
        "loggers": {"axes": {"level": "WARNING"}},
    }

# Load balancers and the monitoring host reach these over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
