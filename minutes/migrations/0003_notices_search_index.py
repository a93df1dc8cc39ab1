"""Full-text index for the public search (minutes/search.py uses the very same expression).

An expression index rather than a stored vector column: nothing to keep in step with the
paragraph text, and the Paragraph model stays untouched. The expression must match
`minutes.search.PARAGRAPH_VECTOR_SQL` character for character in meaning, or the planner
will not use it.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('minutes', '0002_notices_models'),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS minutes_paragraph_fts_sv ON minutes_paragraph "
                "USING gin (to_tsvector('swedish'::regconfig, (title || ' ' || body)))"
            ),
            reverse_sql="DROP INDEX IF EXISTS minutes_paragraph_fts_sv",
        ),
    ]
