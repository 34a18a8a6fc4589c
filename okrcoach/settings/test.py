import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env_str

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Tasks run at once in the request that enqueues them; tests of the real worker switch to the
# database backend explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
AXES_ENABLED = True
SITE_URL = "http://testserver"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # 404s and 403s are expected in permission tests; real errors still show.
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "ERROR"}},
}
# The tests' webhook receivers listen on loopback: allowed here explicitly (off in every other
# setting; okrcoach/comms/tests/test_webhook_targets.py shows the refusal with it off).
WEBHOOK_ALLOW_PRIVATE_TARGETS = True
# Each test process its own memory: fast, and parallel runs never share counters or sessions
# (core/tests/test_shared_file_cache.py runs the host-shared file cache in real processes).
if not CACHE_URL:  # noqa: F405
    CACHES = {
        **CACHES,  # noqa: F405
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
# Generated files (XLSX exports) stay out of the checkout.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "okrcoach-test-media"
