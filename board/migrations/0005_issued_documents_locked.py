"""An issued document (status klar) never changes and is never deleted.

/verifiera/ answers "issued by us, unchanged" from the row's SHA-256, and the pages link the
row's file: a row of a sealed PDF that could be pointed at another file or hash, or taken
away, by raw SQL would make both say what is not so. Once klar, only the time it was last
asked for (requested_at) changes, and the user who asked may be removed (requested_by set
to NULL when the user is deleted).
"""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION board_document_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IS DISTINCT FROM 'klar' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'Ett utfärdat dokument tas aldrig bort (dokument %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF (to_jsonb(NEW) - 'requested_at' - 'requested_by_id') IS DISTINCT FROM (to_jsonb(OLD) - 'requested_at' - 'requested_by_id')
     OR (NEW.requested_by_id IS DISTINCT FROM OLD.requested_by_id AND NEW.requested_by_id IS NOT NULL) THEN
    RAISE EXCEPTION 'Ett utfärdat dokument ändras aldrig (dokument %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER board_rendereddocument_guard BEFORE UPDATE OR DELETE ON board_rendereddocument
  FOR EACH ROW EXECUTE FUNCTION board_document_guard();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS board_rendereddocument_guard ON board_rendereddocument;
DROP FUNCTION IF EXISTS board_document_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("board", "0004_rendereddocument_claim_lease")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
