"""The search vector of a paragraph, stored: a generated column with a GIN index.

Ranking thousands of hits (a common word in 100,000 paragraphs) with the expression index of
0003 meant computing to_tsvector for every hit at query time (about a second on the bench
data). A STORED generated column is computed once when the row is written, by PostgreSQL
itself, so it can never be out of step with the text, and needs no trigger. The column is
not a field of the Paragraph model (Django never writes it); minutes/search.py reads it.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('minutes', '0005_justering_locks'),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "DROP INDEX IF EXISTS minutes_paragraph_fts_sv",
                "ALTER TABLE minutes_paragraph ADD COLUMN search_sv tsvector GENERATED ALWAYS AS "
                "(setweight(to_tsvector('swedish'::regconfig, title), 'A') || "
                "setweight(to_tsvector('swedish'::regconfig, body), 'B')) STORED",
                "CREATE INDEX minutes_paragraph_search_sv ON minutes_paragraph USING gin (search_sv)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS minutes_paragraph_search_sv",
                "ALTER TABLE minutes_paragraph DROP COLUMN IF EXISTS search_sv",
                "CREATE INDEX IF NOT EXISTS minutes_paragraph_fts_sv ON minutes_paragraph "
                "USING gin (to_tsvector('swedish'::regconfig, (title || ' ' || body)))",
            ],
        ),
    ]
