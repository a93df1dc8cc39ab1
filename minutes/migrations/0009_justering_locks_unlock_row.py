"""Only a confirmed unlock row opens justerade minutes; the stored public page is locked too.

Migration 0005 let any SQL session change a justerat meeting by setting
`samordna.unlock_meeting` (SET LOCAL) to its id; any session can set any such setting. Now
the key is a row that the triggers themselves guard:

* A `minutes_minutesunlock` row starts as a proposal (status foreslagen) on the justerad
  version of a justerat meeting; it becomes genomford only with a second person and user
  other than the chair's and a confirmation time; once genomford nothing in it changes but
  the version it opened (set once), and it is never deleted.
* A justerat meeting changes only to go back to drafting, and only when a genomford unlock
  exists for its last justerad version (the highest-numbered version with a justering time).
  The row is used up by that: the next justering makes a newer version the last one, and
  an old unlock opens nothing. A justerat meeting is never deleted.
* A version moves justerad -> upplast only with a genomford unlock of that version; it
  becomes justerad only when everyone in its list of signers has signed it, with its
  justering time; a new version is always "aktuell" and never added to a justerat meeting.
* The stored public page (`minutes_publishedminutes`) of a justerat meeting is written once
  for the meeting's current state (`meeting_updated_at` = the meeting's `updated_at`); after
  that it is neither changed nor deleted. Only a page from an older state (left from before
  an unlock and a new justering) may be replaced, by the page of the current one.

A session with the application's role can still walk the unlock through both steps, as the
service does; it leaves an unlock row naming two people and a reason that cannot be taken
away, and shows in the justering history. Triggers do not bind a superuser or the tables'
owner (ALTER TABLE ... DISABLE TRIGGER, session_replication_role): in production the
application connects as a role without either (README, "Production database role").
"""

from importlib import import_module

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION minutes_last_justered_version(mid bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT id FROM minutes_minutesversion
   WHERE meeting_id = mid AND justered_at IS NOT NULL
   ORDER BY number DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION minutes_unlock_confirmed(mid bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM minutes_minutesunlock u
     WHERE u.meeting_id = mid AND u.status = 'genomford'
       AND u.second_id IS NOT NULL AND u.second_id <> u.chair_id
       AND u.second_user_id IS NOT NULL AND u.second_user_id <> u.chair_user_id
       AND u.confirmed_at IS NOT NULL
       AND u.from_version_id = minutes_last_justered_version(mid))
$$;

CREATE OR REPLACE FUNCTION minutes_meeting_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'justerat' THEN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'Sammanträde % är justerat och tas aldrig bort.', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status IS DISTINCT FROM 'protokoll_under_arbete' OR NOT minutes_unlock_confirmed(OLD.id) THEN
      RAISE EXCEPTION 'Sammanträde % är justerat; bara en bekräftad upplåsning kan ändra det.', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION minutes_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IS DISTINCT FROM 'aktuell' OR NEW.justered_at IS NOT NULL THEN
      RAISE EXCEPTION 'En ny protokollversion är aktuell och ännu inte justerad.'
        USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM minutes_meeting WHERE id = NEW.meeting_id AND status = 'justerat') THEN
      RAISE EXCEPTION 'Protokollet är justerat och låst; ingen ny version (sammanträde %).', NEW.meeting_id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
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
  IF OLD.status = 'aktuell' AND NEW.status = 'justerad' AND (
       NEW.justered_at IS NULL
    OR NOT EXISTS (SELECT 1 FROM minutes_signature g WHERE g.version_id = OLD.id)
    OR EXISTS (
         SELECT 1 FROM jsonb_array_elements(coalesce(OLD.snapshot->'signers', '[]'::jsonb)) s
          WHERE NOT EXISTS (SELECT 1 FROM minutes_signature g
                             WHERE g.version_id = OLD.id AND g.person_id = (s->>'person_id')::bigint))) THEN
    RAISE EXCEPTION 'Version % är inte underskriven av alla som ska justera den.', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status = 'justerad' AND NEW.status = 'upplast' AND NOT EXISTS (
       SELECT 1 FROM minutes_minutesunlock u WHERE u.from_version_id = OLD.id AND u.status = 'genomford') THEN
    RAISE EXCEPTION 'Version % kan bara låsas upp av en bekräftad upplåsning.', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION minutes_unlock_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE proposal_changed boolean;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'genomford' THEN
      RAISE EXCEPTION 'En genomförd upplåsning ändras eller tas aldrig bort (upplåsning %).', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IS DISTINCT FROM 'foreslagen' OR NEW.second_id IS NOT NULL OR NEW.second_user_id IS NOT NULL
       OR NEW.confirmed_at IS NOT NULL OR NEW.to_version_id IS NOT NULL THEN
      RAISE EXCEPTION 'En upplåsning börjar som ordförandens förslag och bekräftas sedan av en ledamot.'
        USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM minutes_minutesversion v JOIN minutes_meeting m ON m.id = v.meeting_id
                    WHERE v.id = NEW.from_version_id AND v.meeting_id = NEW.meeting_id
                      AND v.status = 'justerad' AND m.status = 'justerat') THEN
      RAISE EXCEPTION 'Bara den justerade versionen av ett justerat protokoll kan låsas upp.'
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  proposal_changed := NEW.meeting_id IS DISTINCT FROM OLD.meeting_id
     OR NEW.from_version_id IS DISTINCT FROM OLD.from_version_id
     OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.chair_id IS DISTINCT FROM OLD.chair_id
     OR NEW.chair_user_id IS DISTINCT FROM OLD.chair_user_id OR NEW.proposed_at IS DISTINCT FROM OLD.proposed_at;
  IF OLD.status = 'genomford' THEN
    -- Nothing changes but the new version the unlock opened, set once.
    IF proposal_changed OR NEW.status IS DISTINCT FROM OLD.status OR NEW.second_id IS DISTINCT FROM OLD.second_id
       OR NEW.second_user_id IS DISTINCT FROM OLD.second_user_id
       OR NEW.confirmed_at IS DISTINCT FROM OLD.confirmed_at
       OR (NEW.to_version_id IS DISTINCT FROM OLD.to_version_id AND (
            OLD.to_version_id IS NOT NULL OR NOT EXISTS (
              SELECT 1 FROM minutes_minutesversion v, minutes_minutesversion f
               WHERE v.id = NEW.to_version_id AND f.id = OLD.from_version_id
                 AND v.meeting_id = OLD.meeting_id AND v.number > f.number))) THEN
      RAISE EXCEPTION 'En genomförd upplåsning ändras eller tas aldrig bort (upplåsning %).', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF proposal_changed THEN
    RAISE EXCEPTION 'Ett förslag om upplåsning ändras aldrig (upplåsning %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status = 'foreslagen' THEN
    IF NEW.second_id IS NOT NULL OR NEW.second_user_id IS NOT NULL OR NEW.confirmed_at IS NOT NULL
       OR NEW.to_version_id IS NOT NULL THEN
      RAISE EXCEPTION 'Ett förslag om upplåsning ändras aldrig (upplåsning %).', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  -- foreslagen -> genomford: a second person and user, on the version still justerad.
  IF NEW.status IS DISTINCT FROM 'genomford' OR NEW.second_id IS NULL OR NEW.second_id = NEW.chair_id
     OR NEW.second_user_id IS NULL OR NEW.second_user_id = NEW.chair_user_id OR NEW.confirmed_at IS NULL
     OR NEW.to_version_id IS NOT NULL THEN
    RAISE EXCEPTION 'En upplåsning bekräftas av en annan ledamot än ordföranden (upplåsning %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM minutes_minutesversion v JOIN minutes_meeting m ON m.id = v.meeting_id
                  WHERE v.id = OLD.from_version_id AND v.status = 'justerad' AND m.status = 'justerat') THEN
    RAISE EXCEPTION 'Upplåsningen gäller en version som inte längre är den justerade (upplåsning %).', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION minutes_published_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE m record;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.meeting_id IS DISTINCT FROM OLD.meeting_id THEN
    RAISE EXCEPTION 'En publicerad sida byter aldrig sammanträde.' USING ERRCODE = 'check_violation';
  END IF;
  SELECT status, updated_at INTO m FROM minutes_meeting
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.meeting_id ELSE NEW.meeting_id END;
  IF m.status IS DISTINCT FROM 'justerat' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'Den publicerade sidan av ett justerat protokoll tas aldrig bort (sammanträde %).', OLD.meeting_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.meeting_updated_at IS DISTINCT FROM m.updated_at
     OR (TG_OP = 'UPDATE' AND OLD.meeting_updated_at IS NOT DISTINCT FROM m.updated_at) THEN
    RAISE EXCEPTION 'Den publicerade sidan av ett justerat protokoll ändras aldrig (sammanträde %).', NEW.meeting_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
"""

TRIGGERS = r"""
DROP TRIGGER IF EXISTS minutes_minutesversion_guard ON minutes_minutesversion;
CREATE TRIGGER minutes_minutesversion_guard BEFORE INSERT OR UPDATE OR DELETE ON minutes_minutesversion
  FOR EACH ROW EXECUTE FUNCTION minutes_version_guard();
CREATE TRIGGER minutes_minutesunlock_guard BEFORE INSERT OR UPDATE OR DELETE ON minutes_minutesunlock
  FOR EACH ROW EXECUTE FUNCTION minutes_unlock_guard();
CREATE TRIGGER minutes_publishedminutes_guard BEFORE INSERT OR UPDATE OR DELETE ON minutes_publishedminutes
  FOR EACH ROW EXECUTE FUNCTION minutes_published_guard();
"""


def _reverse() -> str:
    # Back to 0005's functions and triggers (CREATE OR REPLACE of all of them).
    previous = import_module("minutes.migrations.0005_justering_locks")
    return "\n".join([
        "DROP TRIGGER IF EXISTS minutes_minutesunlock_guard ON minutes_minutesunlock;",
        "DROP TRIGGER IF EXISTS minutes_publishedminutes_guard ON minutes_publishedminutes;",
        "DROP TRIGGER IF EXISTS minutes_minutesversion_guard ON minutes_minutesversion;",
        "DROP FUNCTION IF EXISTS minutes_unlock_guard(), minutes_published_guard(),"
        " minutes_unlock_confirmed(bigint), minutes_last_justered_version(bigint);",
        previous.FUNCTIONS,
        "CREATE TRIGGER minutes_minutesversion_guard BEFORE UPDATE OR DELETE ON minutes_minutesversion "
        "FOR EACH ROW EXECUTE FUNCTION minutes_version_guard();",
    ])


class Migration(migrations.Migration):
    dependencies = [("minutes", "0008_notice_justering_has_justering_day")]

    operations = [migrations.RunSQL(FUNCTIONS + TRIGGERS, _reverse())]
