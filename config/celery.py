"""The Celery application: Redis broker, Django settings under the CELERY_ namespace.

DjangoTask gives every task `delay_on_commit`, which services use so that a task is
only queued once the transaction that created its rows has committed.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("samordna", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.ping")
def ping(value: str = "pong") -> str:
    """A round trip through the broker; used by the tests and by /healthz."""
    return value
