"""Personal identity numbers out of the search index written before the projection masked them.

The index rows (PublicParagraph) of minutes justerade before get every text through the same
projection function the justering now uses (minutes.projection.public_value). The stored
public pages cannot be changed (the database refuses it, 0009); they are masked when they
are served (minutes/public/publication.py minutes_page).
"""

from django.db import migrations

from minutes.projection import public_text, public_value


def mask(apps, schema_editor):
    PublicParagraph = apps.get_model("minutes", "PublicParagraph")
    changed = []
    for row in PublicParagraph.objects.iterator(chunk_size=2000):
        title, body, content = public_text(row.title), public_text(row.body), public_value(row.content)
        if (title, body, content) != (row.title, row.body, row.content):
            row.title, row.body, row.content = title, body, content
            changed.append(row)
    PublicParagraph.objects.bulk_update(changed, ["title", "body", "content"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("minutes", "0018_archive_package"),
    ]

    operations = [
        migrations.RunPython(mask, migrations.RunPython.noop),
    ]
