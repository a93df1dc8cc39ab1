"""Run by tests/multihost/test_cluster.py in a process of its own whose
DATABASE_URL is the cluster's primary: an association with a secretary, a chair and a
justerare, and a held meeting whose minutes are started. Prints one JSON object."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from board.models import Appointment, StaffRole  # noqa: E402
from tests.conftest import make_board, user_with_seat, user_with_staff_role  # noqa: E402
from tests.justering.conftest import build_minutes  # noqa: E402


def main() -> None:
    board = make_board(name="Samordningsförbundet Kluster", slug="kluster", prefix="KL")
    chair = user_with_seat(board, "ordforande", 0, role=Appointment.Role.CHAIR)
    member = user_with_seat(board, "ledamot", 1)
    secretary = user_with_staff_role(board, "sekreterare", StaffRole.Role.SECRETARY)
    meeting = build_minutes(board, secretary, chair, member)
    print(json.dumps({
        "slug": board.organisation.slug, "meeting": meeting.pk, "organisation": board.organisation.pk,
        "paragraphs": meeting.paragraphs.count(),
        "secretary": secretary.username, "chair": chair.username, "member": member.username,
    }))


if __name__ == "__main__":
    main()
