"""The database refuses changes to justerade minutes, and to signed versions and signatures.

Triggers, so that raw SQL, a forgotten service or the admin cannot change what was signed:

* INSERT, UPDATE or DELETE of a justerat meeting's paragraphs, decision clauses, attendance,
  justerare, votes (proposals, ballots), reservations, notes and jäv fails.
* A justerat meeting row itself cannot be changed or deleted, except inside the unlock service,
  which sets `samordna.unlock_meeting` to the meeting's id for its transaction (SET LOCAL).
* Versions are never deleted; only their status moves forward (aktuell -> ersatt | avbojd |
  justerad, justerad -> upplast); the snapshot and its SHA-256 never change.
* Signatures are never updated or deleted, and can only be given on the current version with
  that version's SHA-256.

Errors use SQLSTATE 23514 (check_violation), which Django raises as IntegrityError.
"""

from django.db import migrations

CHILD_TABLES = {
    # table: how to find the meeting from a row
    "minutes_paragraph": "meeting",
    "minutes_attendance": "meeting",
    "minutes_minutesadjuster": "meeting",
    "minutes_decisionclause": "paragraph",
    "minutes_vote": "paragraph",
    "minutes_reservation": "paragraph",
    "minutes_protocolnote": "paragraph",
    "minutes_recusal": "paragraph",
    "minutes_voteproposal": "vote",
    "minutes_voteballot": "vote",
}

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION minutes_meeting_of(kind text, r jsonb) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE mid bigint;
BEGIN
  IF kind = 'meeting' THEN
    RETURN (r->>'meeting_id')::bigint;
  ELSIF kind = 'paragraph' THEN
    SELECT meeting_id INTO mid FROM minutes_paragraph WHERE id = (r->>'paragraph_id')::bigint;
  ELSE
    SELECT p.meeting_id INTO mid FROM minutes_vote v JOIN minutes_paragraph p ON p.id = v.paragraph_id
     WHERE v.id = (r->>'vote_id')::bigint;
  END IF;
  RETURN mid;
END $$;

CREATE OR REPLACE FUNCTION minutes_refuse_if_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE mid bigint;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    mid := minutes_meeting_of(TG_ARGV[0], to_jsonb(OLD));
    IF EXISTS (SELECT 1 FROM minutes_meeting WHERE id = mid AND status = 'justerat') THEN
      RAISE EXCEPTION 'Protokollet är justerat och låst (sammanträde %, tabell %).', mid, TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    mid := minutes_meeting_of(TG_ARGV[0], to_jsonb(NEW));
    IF EXISTS (SELECT 1 FROM minutes_meeting WHERE id = mid AND status = 'justerat') THEN
      RAISE EXCEPTION 'Protokollet är justerat och låst (sammanträde %, tabell %).', mid, TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION minutes_meeting_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'justerat'
     AND coalesce(current_setting('samordna.unlock_meeting', true), '') <> OLD.id::text THEN
    RAISE EXCEPTION 'Sammanträde % är justerat; bara en upplåsning kan ändra det.', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION minutes_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'En protokollversion tas aldrig bort (version %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.meeting_id IS DISTINCT FROM OLD.meeting_id OR NEW.number IS DISTINCT FROM OLD.number
     OR NEW.snapshot::text IS DISTINCT FROM OLD.snapshot::text OR NEW.sha256 IS DISTINCT FROM OLD.sha256
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.reason IS DISTINCT FROM OLD.reason THEN
    RAISE EXCEPTION 'En protokollversions innehåll ändras aldrig (version %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'aktuell' AND NEW.status IN ('ersatt', 'avbojd', 'justerad'))
    OR (OLD.status = 'justerad' AND NEW.status = 'upplast')) THEN
    RAISE EXCEPTION 'Versionen kan inte gå från % till %.', OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.justered_at IS DISTINCT FROM OLD.justered_at
     AND NOT (OLD.status = 'aktuell' AND NEW.status = 'justerad') THEN
    RAISE EXCEPTION 'Justeringstiden ändras aldrig (version %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION minutes_signature_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE v record;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    RAISE EXCEPTION 'En underskrift ändras eller tas aldrig bort (underskrift %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT status, sha256 INTO v FROM minutes_minutesversion WHERE id = NEW.version_id;
  IF v.status IS DISTINCT FROM 'aktuell' OR v.sha256 IS DISTINCT FROM NEW.sha256 THEN
    RAISE EXCEPTION 'Bara den aktuella versionen kan undertecknas, med dess SHA-256.'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
"""


def _triggers() -> str:
    sql = [FUNCTIONS]
    for table, kind in CHILD_TABLES.items():
        sql.append(
            f"CREATE TRIGGER {table}_locked BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION minutes_refuse_if_locked('{kind}');"
        )
    sql.append(
        "CREATE TRIGGER minutes_meeting_locked BEFORE UPDATE OR DELETE ON minutes_meeting "
        "FOR EACH ROW EXECUTE FUNCTION minutes_meeting_guard();"
    )
    sql.append(
        "CREATE TRIGGER minutes_minutesversion_guard BEFORE UPDATE OR DELETE ON minutes_minutesversion "
        "FOR EACH ROW EXECUTE FUNCTION minutes_version_guard();"
    )
    sql.append(
        "CREATE TRIGGER minutes_signature_guard BEFORE INSERT OR UPDATE OR DELETE ON minutes_signature "
        "FOR EACH ROW EXECUTE FUNCTION minutes_signature_guard();"
    )
    return "\n".join(sql)


def _drop() -> str:
    sql = [f"DROP TRIGGER IF EXISTS {t}_locked ON {t};" for t in CHILD_TABLES]
    sql += [
        "DROP TRIGGER IF EXISTS minutes_meeting_locked ON minutes_meeting;",
        "DROP TRIGGER IF EXISTS minutes_minutesversion_guard ON minutes_minutesversion;",
        "DROP TRIGGER IF EXISTS minutes_signature_guard ON minutes_signature;",
        "DROP FUNCTION IF EXISTS minutes_refuse_if_locked(), minutes_meeting_guard(),"
        " minutes_version_guard(), minutes_signature_guard(), minutes_meeting_of(text, jsonb);",
    ]
    return "\n".join(sql)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0004_justering_models")]

    operations = [migrations.RunSQL(_triggers(), _drop())]
