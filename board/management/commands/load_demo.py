"""Load the demo data from the seeds: boards, meetings, budgets, interventions.

Idempotent: every loader finds its rows by natural keys and updates them, so running the
command twice leaves the same database. Each app contributes `<app>/demo.py` with
`load(*, stdout)`; the registry loads first because everything else refers to it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from board.demo import print_logins

DEMO_APPS = ("board", "minutes", "finance", "interventions")


class Command(BaseCommand):
    help = "Loads (or refreshes) the demo associations, boards, minutes, budgets and interventions."

    def handle(self, *args: Any, **options: Any) -> None:
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodata inläst."))
        print_logins(self.stdout)
