"""The search index of the public projection for minutes justerade before it existed, and the
old search column on the live paragraphs dropped (the search reads PublicParagraph now).

The stored public pages of those minutes stay as they are (the database keeps them
unchanged); only the index rows are written, from each meeting's signed snapshot through the
same projection the justering uses.
"""

from django.db import migrations

from minutes.projection import public_minutes


def backfill(apps, schema_editor):
    Meeting = apps.get_model("minutes", "Meeting")
    MinutesVersion = apps.get_model("minutes", "MinutesVersion")
    PublicParagraph = apps.get_model("minutes", "PublicParagraph")
    Attendance = apps.get_model("minutes", "Attendance")
    for meeting in Meeting.objects.filter(status="justerat").iterator():
        version = MinutesVersion.objects.filter(meeting=meeting, status="justerad").first()
        if version is None:
            continue
        ids = {}
        for first, last, pk in Attendance.objects.filter(meeting=meeting).values_list(
            "person__first_name", "person__last_name", "person_id"
        ).distinct():
            name = f"{first} {last}".strip()
            ids[name] = None if name in ids and ids[name] != pk else pk
        rows = []
        for position, item in enumerate(public_minutes(version.snapshot)["paragraphs"], start=1):
            if item.get("votes"):
                item = {**item, "votes": [
                    {**v, "ballots": [{**b, "person_id": ids.get(b["name"])} for b in v.get("ballots", [])]}
                    for v in item["votes"]
                ]}
            rows.append(PublicParagraph(
                paragraph_id=item["id"], meeting_id=meeting.pk, organ_id=meeting.organ_id,
                year=meeting.date.year, position=position, label=item["label"],
                title=item.get("title", ""), body=item.get("body", ""), content=item,
            ))
        PublicParagraph.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("minutes", "0013_public_paragraph"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunSQL(
            sql=[
                "DROP INDEX IF EXISTS minutes_paragraph_search_sv",
                "ALTER TABLE minutes_paragraph DROP COLUMN IF EXISTS search_sv",
            ],
            reverse_sql=[
                "ALTER TABLE minutes_paragraph ADD COLUMN search_sv tsvector GENERATED ALWAYS AS "
                "(setweight(to_tsvector('swedish'::regconfig, title), 'A') || "
                "setweight(to_tsvector('swedish'::regconfig, body), 'B')) STORED",
                "CREATE INDEX minutes_paragraph_search_sv ON minutes_paragraph USING gin (search_sv)",
            ],
        ),
    ]
