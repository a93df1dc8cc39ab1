"""Signals other parts of the product listen to.

`minutes_edited` is sent (after commit) by every service that changes a meeting's minutes:
paragraphs, clauses, votes, attendance, adjusters. The justering listens to it to void
signatures given on an older version.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: meeting (Meeting), actor (user or None), what (str, e.g. "paragraph.updated")
minutes_edited = Signal()
