"""The Celery application: Redis broker, Django settings under the CELERY_ namespace.

Work that must not be lost is recorded in a database row in the transaction that makes it due
(a RenderedDocument in status köad is one); the task that does it is only a message saying so.
`task_send` sends that message after commit and never raises into the request: if the broker
cannot be reached, the row stays, and `WorkerSweep` sends it later. Every worker runs the
sweep tasks of settings.WORKER_SWEEP_TASKS itself when it starts, whenever it (re)connects
to the broker and every WORKER_SWEEP_SECONDS, so nothing waits for beat; the tasks that the
sweeps send claim their row, so several workers sweeping at once do no work twice.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery, Task, bootsteps
from django.conf import settings
from django.db import connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("samordna", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# How long a send waits for an unreachable broker before it gives up and leaves the row to
# the sweep: about half a second, not Celery's default of retrying for longer.
SEND_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def task_send(task: Task | str, *args: Any, countdown: float | None = None) -> bool:
    """Send `task(*args)` now (to run after `countdown` seconds, if given); False (logged, not
    raised) when the broker cannot take it.

    `task` is the task or its name (a service whose module the task's module imports sends by
    name). Call it after commit (transaction.on_commit) for a task whose row records the work,
    so that a sweep can send it again: a False here delays the work, it does not lose it.
    """
    name = task if isinstance(task, str) else task.name
    try:
        # The row holds the outcome: no result is stored, and the sender does not subscribe
        # to a result channel in Redis for it.
        app.send_task(name, args, countdown=countdown, retry_policy=SEND_RETRY_POLICY, ignore_result=True)
    except Exception as exc:  # noqa: BLE001 - the broker is down or refused it; the sweep sends it later
        logger.warning("%s%r not sent, left for the sweep: %s", name, args, exc)
        return False
    return True


class WorkerSweep(bootsteps.StartStopStep):
    """Run the sweep tasks in the worker itself: at once when the consumer (re)connects to
    the broker, then every WORKER_SWEEP_SECONDS until it stops or loses the connection."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.timer_entry: Any = None

    def start(self, parent: Any) -> None:
        self.sweep()
        self.timer_entry = parent.timer.call_repeatedly(settings.WORKER_SWEEP_SECONDS, self.sweep)

    def stop(self, parent: Any) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    shutdown = stop

    def sweep(self) -> None:
        try:
            for name in settings.WORKER_SWEEP_TASKS:
                try:
                    app.tasks[name]()  # here, in the worker's main process
                except Exception:
                    logger.exception("sweep %s failed", name)
        finally:
            # The main process keeps no database connection between sweeps: the pool
            # processes it forks later must not inherit one.
            connection.close()


app.steps["consumer"].add(WorkerSweep)


@app.task(name="config.ping")
def ping(value: str = "pong") -> str:
    """A round trip through the broker; used by the tests and by /healthz."""
    return value
