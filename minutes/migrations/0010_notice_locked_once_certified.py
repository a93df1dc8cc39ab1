"""A notice whose anslagsbevis was issued changes only as a new version, and is never deleted.

The anslagsbevis (a sealed PDF, kind notice.certificate, one per version of the notice)
certifies when the notice was up and what it said. The notice board reads the row at every
request, so the row must not come to say something else than the certificate of its
version: once that certificate is klar, the row changes only together with a higher
version (moving the posting day, which asks for that version's certificate), and the row is
never deleted while any certificate of it is issued. The user who posted it may be removed
(posted_by set to NULL).
"""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION minutes_notice_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM board_rendereddocument d JOIN django_content_type c ON c.id = d.content_type_id
                WHERE c.app_label = 'minutes' AND c.model = 'notice' AND d.kind = 'notice.certificate'
                  AND d.object_id = OLD.id AND d.status = 'klar') THEN
      RAISE EXCEPTION 'Ett anslag med utfärdat anslagsbevis tas aldrig bort (anslag %).', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.version > OLD.version
     OR ((to_jsonb(NEW) - 'posted_by_id') IS NOT DISTINCT FROM (to_jsonb(OLD) - 'posted_by_id')
         AND (NEW.posted_by_id IS NULL OR NEW.posted_by_id IS NOT DISTINCT FROM OLD.posted_by_id)) THEN
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT 1 FROM board_rendereddocument d JOIN django_content_type c ON c.id = d.content_type_id
              WHERE c.app_label = 'minutes' AND c.model = 'notice' AND d.kind = 'notice.certificate'
                AND d.object_id = OLD.id AND d.version = OLD.version AND d.status = 'klar') THEN
    RAISE EXCEPTION 'Anslaget har ett utfärdat anslagsbevis och ändras bara som en ny version (anslag %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER minutes_notice_guard BEFORE UPDATE OR DELETE ON minutes_notice
  FOR EACH ROW EXECUTE FUNCTION minutes_notice_guard();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS minutes_notice_guard ON minutes_notice;
DROP FUNCTION IF EXISTS minutes_notice_guard();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0009_justering_locks_unlock_row"),
        ("board", "0005_issued_documents_locked"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
