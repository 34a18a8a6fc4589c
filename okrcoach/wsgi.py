import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrcoach.settings.production")
application = get_wsgi_application()

from okrcoach.core.code_version import code_version  # noqa: E402 - needs Django set up

code_version()  # at the worker's start (~60 ms), not in its first request
