"""Signals other parts of the product listen to.

`minutes_edited` is sent (after commit) by every service that changes a meeting's minutes:
paragraphs, clauses, votes, attendance, adjusters. The justering listens to it to void
signatures given on an older version.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: meeting (Meeting), actor (user or None), what (str, e.g. "paragraph.updated")
minutes_edited = Signal()

# Sent by the justering (minutes.justering) inside its transaction when the last signature is
# in and the meeting is locked; the wings above it answer: the public page is stored
# (minutes.public.receivers) and the anslag is posted (minutes.notices.receivers), each in a
# savepoint of that same transaction (justering.beside_the_justering), so a failing step never
# undoes the signatures, and a rolled-back justering leaves neither page nor anslag behind.
# kwargs: meeting (Meeting, status justerat), version (MinutesVersion), actor, justered_on (date)
minutes_justered = Signal()

# Sent by the notice board (minutes.notices) inside the transaction that posts a notice (an
# anslag of justerade minutes, a kungörelse, a delegationsbeslut or a free notice); the public's
# e-mail subscriptions (minutes.subscriptions.receivers) record that it is owed to them.
# kwargs: notice (Notice), actor
notice_posted = Signal()
