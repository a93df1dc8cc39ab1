"""Each public paragraph carries whether its meeting is justerat (PublicParagraph.meeting_signed)
and its association's retention of minutes on the web (retention_months), kept by the database
so that no way of writing (a save, an UPDATE past the ORM, psql) leaves them behind the
meeting's and the association's own values:

- a public paragraph written or changed takes them from its meeting and the meeting's organ's
  association (the path minutes_on_the_web follows), whatever the writer sent;
- a meeting whose status or organ changes, an organ moved to another association and an
  association whose retention changes: their public paragraphs are written again, so they take
  them anew.

The search and the public API then decide what is public on the row itself instead of joining
the meeting, its organ and its association (minutes/public/selectors.py).
"""

from django.db import migrations, models

SQL = """
CREATE FUNCTION minutes_public_copies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT m.status = 'justerat', o.minutes_retention_months
    INTO NEW.meeting_signed, NEW.retention_months
    FROM minutes_meeting m
    JOIN board_organ g ON g.id = m.organ_id
    JOIN board_organisation o ON o.id = g.organisation_id
   WHERE m.id = NEW.meeting_id;
  RETURN NEW;
END $$;

CREATE TRIGGER minutes_publicparagraph_copies
  BEFORE INSERT OR UPDATE ON minutes_publicparagraph
  FOR EACH ROW EXECUTE FUNCTION minutes_public_copies();

-- Writes the affected public paragraphs again: the trigger above gives them the values anew.
CREATE FUNCTION minutes_public_copies_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'board_organisation' THEN
    UPDATE minutes_publicparagraph p SET retention_months = 0
      FROM minutes_meeting m JOIN board_organ g ON g.id = m.organ_id
     WHERE p.meeting_id = m.id AND g.organisation_id = NEW.id;
  ELSE
    UPDATE minutes_publicparagraph p SET retention_months = 0
      FROM minutes_meeting m
     WHERE p.meeting_id = m.id AND m.organ_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER minutes_public_copies_organisation
  AFTER UPDATE OF minutes_retention_months ON board_organisation
  FOR EACH ROW WHEN (OLD.minutes_retention_months IS DISTINCT FROM NEW.minutes_retention_months)
  EXECUTE FUNCTION minutes_public_copies_changed();
CREATE TRIGGER minutes_public_copies_organ
  AFTER UPDATE OF organisation_id ON board_organ
  FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
  EXECUTE FUNCTION minutes_public_copies_changed();

-- The meetings once per statement (a transition table takes no column list): an UPDATE of
-- many meetings is one pass over the public paragraphs, not one per meeting.
CREATE FUNCTION minutes_public_meetings_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE minutes_publicparagraph p SET retention_months = 0
    FROM changed_new n JOIN changed_old o ON o.id = n.id
   WHERE p.meeting_id = n.id
     AND (o.status IS DISTINCT FROM n.status OR o.organ_id IS DISTINCT FROM n.organ_id);
  RETURN NULL;
END $$;

CREATE TRIGGER minutes_public_copies_meeting
  AFTER UPDATE ON minutes_meeting
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION minutes_public_meetings_changed();

-- Kept even where the lock triggers are switched off (session_replication_role = replica, as
-- only the tables' owner can): a copy that could fall behind would decide what is public.
ALTER TABLE minutes_publicparagraph ENABLE ALWAYS TRIGGER minutes_publicparagraph_copies;
ALTER TABLE board_organisation ENABLE ALWAYS TRIGGER minutes_public_copies_organisation;
ALTER TABLE board_organ ENABLE ALWAYS TRIGGER minutes_public_copies_organ;
ALTER TABLE minutes_meeting ENABLE ALWAYS TRIGGER minutes_public_copies_meeting;

-- The rows already written.
UPDATE minutes_publicparagraph SET retention_months = 0;
"""

REVERSE = """
DROP TRIGGER minutes_public_copies_meeting ON minutes_meeting;
DROP FUNCTION minutes_public_meetings_changed();
DROP TRIGGER minutes_public_copies_organ ON board_organ;
DROP TRIGGER minutes_public_copies_organisation ON board_organisation;
DROP FUNCTION minutes_public_copies_changed();
DROP TRIGGER minutes_publicparagraph_copies ON minutes_publicparagraph;
DROP FUNCTION minutes_public_copies();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("board", "0013_outgoing_mail_headers_subscription_kinds"),
        ("minutes", "0026_board_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicparagraph",
            name="retention_months",
            field=models.PositiveSmallIntegerField(
                db_default=0, editable=False, verbose_name="förbundets tid på webben (månader)"),
        ),
        migrations.AddField(
            model_name="publicparagraph",
            name="meeting_signed",
            field=models.BooleanField(db_default=False, editable=False, verbose_name="sammanträdet justerat"),
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
