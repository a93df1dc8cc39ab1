"""The notice board's pages stored as rendered (BoardPage), and the number that says when they
are out of date (BoardGeneration, one row).

The number is moved on by the database itself, in the transaction of any write to what the
board shows or selects, so that no way of writing (a save, an UPDATE past the ORM's
signals, psql) can leave a stored page showing what is no longer so:
- a notice, an attachment, an association, an organ: any insert, update, delete (per statement);
- a meeting: a change of its status (a justering notice is shown only for signed minutes),
  date or start time (shown in a notice); not the secretary's other saves while drafting;
- a rendered document of the two kinds the board links (the anslagsbevis and the public
  minutes PDF): one that becomes, stops being or is while klar (the board links only those).
"""

from django.db import migrations, models

SQL = r"""
INSERT INTO minutes_boardgeneration (id, generation) VALUES (1, 0);

CREATE FUNCTION minutes_board_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- An upsert: a flush (TRUNCATE of every table, as tests do) leaves the table empty.
  INSERT INTO minutes_boardgeneration (id, generation) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET generation = minutes_boardgeneration.generation + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER minutes_board_notice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON minutes_notice
  FOR EACH STATEMENT EXECUTE FUNCTION minutes_board_changed();
CREATE TRIGGER minutes_board_attachment AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON minutes_noticeattachment
  FOR EACH STATEMENT EXECUTE FUNCTION minutes_board_changed();
CREATE TRIGGER minutes_board_organisation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON board_organisation
  FOR EACH STATEMENT EXECUTE FUNCTION minutes_board_changed();
CREATE TRIGGER minutes_board_organ AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON board_organ
  FOR EACH STATEMENT EXECUTE FUNCTION minutes_board_changed();

CREATE TRIGGER minutes_board_meeting AFTER UPDATE ON minutes_meeting
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.date IS DISTINCT FROM NEW.date
                     OR OLD.start_time IS DISTINCT FROM NEW.start_time)
  EXECUTE FUNCTION minutes_board_changed();
CREATE TRIGGER minutes_board_meeting_deleted AFTER DELETE OR TRUNCATE ON minutes_meeting
  FOR EACH STATEMENT EXECUTE FUNCTION minutes_board_changed();

CREATE TRIGGER minutes_board_document_new AFTER INSERT ON board_rendereddocument
  FOR EACH ROW WHEN (NEW.kind IN ('notice.certificate', 'minutes.public') AND NEW.status = 'klar')
  EXECUTE FUNCTION minutes_board_changed();
CREATE TRIGGER minutes_board_document_changed AFTER UPDATE ON board_rendereddocument
  FOR EACH ROW WHEN ((OLD.kind IN ('notice.certificate', 'minutes.public') AND OLD.status = 'klar')
                     OR (NEW.kind IN ('notice.certificate', 'minutes.public') AND NEW.status = 'klar'))
  EXECUTE FUNCTION minutes_board_changed();
CREATE TRIGGER minutes_board_document_deleted AFTER DELETE ON board_rendereddocument
  FOR EACH ROW WHEN (OLD.kind IN ('notice.certificate', 'minutes.public') AND OLD.status = 'klar')
  EXECUTE FUNCTION minutes_board_changed();
CREATE TRIGGER minutes_board_document_truncated AFTER TRUNCATE ON board_rendereddocument
  FOR EACH STATEMENT EXECUTE FUNCTION minutes_board_changed();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS minutes_board_notice ON minutes_notice;
DROP TRIGGER IF EXISTS minutes_board_attachment ON minutes_noticeattachment;
DROP TRIGGER IF EXISTS minutes_board_organisation ON board_organisation;
DROP TRIGGER IF EXISTS minutes_board_organ ON board_organ;
DROP TRIGGER IF EXISTS minutes_board_meeting ON minutes_meeting;
DROP TRIGGER IF EXISTS minutes_board_meeting_deleted ON minutes_meeting;
DROP TRIGGER IF EXISTS minutes_board_document_new ON board_rendereddocument;
DROP TRIGGER IF EXISTS minutes_board_document_changed ON board_rendereddocument;
DROP TRIGGER IF EXISTS minutes_board_document_deleted ON board_rendereddocument;
DROP TRIGGER IF EXISTS minutes_board_document_truncated ON board_rendereddocument;
DROP FUNCTION IF EXISTS minutes_board_changed();
"""


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
