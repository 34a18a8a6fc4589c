from .base import *  # noqa: F403
from .base import REPO_DIR, env_bool, env_str

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Where the file-based email backend (the run command's choice) writes one file per message.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(REPO_DIR / "var" / "mail"))
