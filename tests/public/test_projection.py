"""The public projection of the signed snapshot: the one place of the OSL rule, and what the
page, the API and the search index are built from."""

from __future__ import annotations

import copy
import json

from minutes.models import PublicParagraph
from minutes.projection import is_masked, public_minutes, public_paragraph
from tests.public.conftest import SECRET

# Every field a paragraph of the snapshot has (minutes/justering/rules.py minutes_snapshot), each
# carrying the secret word, in a confidential paragraph.
CONFIDENTIAL = {
    "id": 7, "label": "§ 12", "number": 12, "prefix": "", "title": f"{SECRET} rubrik", "dnr": f"{SECRET}-dnr",
    "body": f"{SECRET} text", "decision": [f"Att bevilja {SECRET}"], "confidential": True,
    "osl_reference": "26 kap. 1 § OSL", "immediate_justering": True, "exp_till": SECRET, "kopia_till": SECRET,
    "handlingar": [f"{SECRET}.pdf"], "jav": [SECRET], "reservations": [{"name": SECRET, "motivation": SECRET}],
    "notes": [{"name": SECRET, "text": SECRET}],
    "votes": [{"question": SECRET, "proposals": [{"answer": "ja", "text": SECRET, "proposer": SECRET}],
               "ballots": [{"name": SECRET, "choice": "ja"}], "yes": 1, "no": 0, "abstain": 0,
               "result": SECRET, "decided_by": "majoritet"}],
}
OPEN = {**copy.deepcopy(CONFIDENTIAL), "id": 8, "label": "§ 13", "number": 13, "title": "Budget",
        "body": "Öppen text", "confidential": False, "osl_reference": "", "decision": ["Att godkänna"],
        "jav": [], "exp_till": "", "kopia_till": ""}
SNAPSHOT = {"format": "samordna.minutes/1", "meeting": {"id": 1}, "attendance": {"beslutande": ["A"]},
            "paragraph_range": "§§ 12-13", "signers": [], "paragraphs": [CONFIDENTIAL, OPEN]}


def test_a_confidential_paragraph_is_its_number_and_osl_reference_and_nothing_else():
    projected = public_paragraph(CONFIDENTIAL)
    assert projected == {"id": 7, "label": "§ 12", "number": 12, "prefix": "",
                         "osl_reference": "26 kap. 1 § OSL", "confidential": True}
    assert SECRET not in json.dumps(projected, ensure_ascii=False)
    assert is_masked(projected)


def test_a_paragraph_not_confidential_is_shown_whole_and_the_snapshot_is_not_changed():
    before = copy.deepcopy(SNAPSHOT)
    projected = public_minutes(SNAPSHOT)
    assert before == SNAPSHOT
    assert projected["paragraphs"][1] == OPEN
    assert not is_masked(projected["paragraphs"][1])
    assert SECRET not in json.dumps(projected["paragraphs"][0], ensure_ascii=False)
    assert {k: v for k, v in projected.items() if k != "paragraphs"} == {
        k: v for k, v in SNAPSHOT.items() if k != "paragraphs"}
    # A copy: changing the projection changes no snapshot.
    projected["paragraphs"][1]["votes"][0]["ballots"].clear()
    assert SNAPSHOT["paragraphs"][1]["votes"][0]["ballots"]


def test_a_paragraph_that_says_nothing_of_confidentiality_is_public():
    item = {k: v for k, v in OPEN.items() if k != "confidential"}
    assert public_paragraph(item)["body"] == "Öppen text"


def test_the_search_index_holds_the_projection_only(published):
    """The rows the search and the API read: the confidential one without title or text."""
    rows = {row.paragraph_id: row for row in PublicParagraph.objects.filter(meeting=published.meeting)}
    assert set(rows) == set(published.meeting.paragraphs.values_list("pk", flat=True))
    secret = rows[published.secret_paragraph.pk]
    assert (secret.title, secret.body) == ("", "")
    assert is_masked(secret.content) and secret.content["osl_reference"] == "26 kap. 1 § OSL"
    assert SECRET not in json.dumps([r.content for r in rows.values()], ensure_ascii=False)
    assert rows[published.open_paragraph.pk].title == published.open_paragraph.title
