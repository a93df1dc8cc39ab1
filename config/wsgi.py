"""The WSGI application (gunicorn config.wsgi)."""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view now (Django would on the first request), then move everything loaded so
# far - modules, models, URL patterns - out of the garbage collector's reach: it lives as long
# as the process, and each collection walked it again. Measured in-process on the bench
# dataset: a public minutes page 28 -> 22 ms of CPU (bench/public_bench.py has the load figures).
get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
gc.freeze()
