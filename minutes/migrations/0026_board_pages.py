"""The notice board's pages stored as rendered (BoardPage), and the number that says when they
are out of date (BoardGeneration, one row).

The number is moved on by the database itself, when a transaction that wrote to what the
board shows or selects commits, so that no way of writing (a save, an UPDATE past the ORM's
signals, psql) can leave a stored page showing what is no longer so:
- a notice, an attachment, an association, an organ: any row inserted, updated or deleted;
- a meeting: a change of its status (a justering notice is shown only for signed minutes),
  date or start time (shown in a notice), or its deletion; not the secretary's other saves
  while drafting;
- a rendered document of the two kinds the board links (the anslagsbevis and the public
  minutes PDF): one that becomes, stops being or is while klar (the board links only those);
- any of these tables truncated.
"""

from django.db import migrations, models

# The tables and, where not every write counts, the condition. Constraint triggers, deferred:
# the generation row is written at the commit, after every other lock the transaction takes, so
# two transactions never wait on each other for it while they work (a justering that renders
# its public page in its transaction holds no one up) and cannot deadlock over it. A TRUNCATE
# fires statement triggers only: those run at once.
KIND_SHOWN = "{row}.kind IN ('notice.certificate', 'minutes.public') AND {row}.status = 'klar'"
WATCHED = [
    ("notice", "minutes_notice", "INSERT OR UPDATE OR DELETE", ""),
    ("attachment", "minutes_noticeattachment", "INSERT OR UPDATE OR DELETE", ""),
    ("organisation", "board_organisation", "INSERT OR UPDATE OR DELETE", ""),
    ("organ", "board_organ", "INSERT OR UPDATE OR DELETE", ""),
    ("meeting", "minutes_meeting", "UPDATE",
     "OLD.status IS DISTINCT FROM NEW.status OR OLD.date IS DISTINCT FROM NEW.date"
     " OR OLD.start_time IS DISTINCT FROM NEW.start_time"),
    ("meeting_deleted", "minutes_meeting", "DELETE", ""),
    ("document_new", "board_rendereddocument", "INSERT", KIND_SHOWN.format(row="NEW")),
    ("document_changed", "board_rendereddocument", "UPDATE",
     f"({KIND_SHOWN.format(row='OLD')}) OR ({KIND_SHOWN.format(row='NEW')})"),
    ("document_deleted", "board_rendereddocument", "DELETE", KIND_SHOWN.format(row="OLD")),
]
TRUNCATED = sorted({table for _, table, _, _ in WATCHED})
# The constraint triggers' names: tests/conftest.py sets them IMMEDIATE in a test's transaction,
# which never commits.
TRIGGERS = [f"minutes_board_{name}" for name, _, _, _ in WATCHED]

SQL = "\n".join([
    """
INSERT INTO minutes_boardgeneration (id, generation) VALUES (1, 0);

CREATE FUNCTION minutes_board_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Once for all the rows whose triggers fire in one statement (the COMMIT, for deferred ones):
  -- a row written once per changed row made a commit of 21,000 changed rows take 3.7 s, each
  -- update of the one row stepping over the versions its transaction had left before.
  IF current_setting('minutes.board_changed_at', true) IS DISTINCT FROM statement_timestamp()::text THEN
    PERFORM set_config('minutes.board_changed_at', statement_timestamp()::text, true);  -- for this transaction
    -- An upsert: a flush (TRUNCATE of every table, as tests do) leaves the table empty.
    INSERT INTO minutes_boardgeneration (id, generation) VALUES (1, 1)
      ON CONFLICT (id) DO UPDATE SET generation = minutes_boardgeneration.generation + 1;
  END IF;
  RETURN NULL;
END $$;
""",
    *(f"CREATE CONSTRAINT TRIGGER minutes_board_{name} AFTER {events} ON {table}"
      f" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW{f' WHEN ({when})' if when else ''}"
      " EXECUTE FUNCTION minutes_board_changed();"
      for name, table, events, when in WATCHED),
    *(f"CREATE TRIGGER minutes_board_truncated AFTER TRUNCATE ON {table}"
      " FOR EACH STATEMENT EXECUTE FUNCTION minutes_board_changed();" for table in TRUNCATED),
])

REVERSE = "\n".join([
    *(f"DROP TRIGGER IF EXISTS minutes_board_{name} ON {table};" for name, table, _, _ in WATCHED),
    *(f"DROP TRIGGER IF EXISTS minutes_board_truncated ON {table};" for table in TRUNCATED),
    "DROP FUNCTION IF EXISTS minutes_board_changed();",
])


class Migration(migrations.Migration):

    dependencies = [
        ('minutes', '0025_confidential_handlingar'),
        ('board', '0013_outgoing_mail_headers_subscription_kinds'),
    ]

    operations = [
        migrations.CreateModel(
            name='BoardGeneration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('generation', models.BigIntegerField(default=0, verbose_name='generation')),
            ],
            options={
                'verbose_name': 'anslagstavlans generation',
                'verbose_name_plural': 'anslagstavlans generationer',
            },
        ),
        migrations.CreateModel(
            name='BoardPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(blank=True, max_length=100, verbose_name='förbund (slug, tomt för alla)')),
                ('number', models.PositiveIntegerField(verbose_name='sida')),
                ('language', models.CharField(max_length=10, verbose_name='språk')),
                ('day', models.DateField(verbose_name='dag')),
                ('generation', models.BigIntegerField(verbose_name='generation')),
                ('template', models.CharField(max_length=64, verbose_name='mallarna (SHA-256)')),
                ('html', models.TextField(verbose_name='sidans innehåll (HTML)')),
                ('rendered_at', models.DateTimeField(auto_now=True, verbose_name='skapad')),
            ],
            options={
                'verbose_name': 'sida av anslagstavlan (renderad)',
                'verbose_name_plural': 'sidor av anslagstavlan (renderade)',
                'constraints': [models.UniqueConstraint(fields=('scope', 'number', 'language'), name='board_page_unique')],
            },
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
