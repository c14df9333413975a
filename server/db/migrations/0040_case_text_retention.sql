-- A closed case's own text (title, description, place, outcome note) is emptied 24 months after it
-- closed (retention rule case_text). Its timeline stays append-only, with one way past the trigger:
-- case_remove_text(case_id) removes the free-text keys of its events (a 'created' event's title, a
-- note's body, an outcome's note) while the function runs (a transaction-local setting it sets and
-- clears); the trigger lets exactly that change through. Every other UPDATE or DELETE still raises.
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('nhipcau.case_text_removal', true) = 'on'
     AND (to_jsonb(NEW) - 'data') = (to_jsonb(OLD) - 'data')
     AND NEW.data = (OLD.data - 'title' - 'body' - 'note') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
DROP TRIGGER case_events_no_update_delete ON case_events;
--> statement-breakpoint
CREATE TRIGGER case_events_no_update_delete BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_remove_text(p_case_id uuid) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  changed integer;
BEGIN
  PERFORM set_config('nhipcau.case_text_removal', 'on', true);
  UPDATE case_events SET data = data - 'title' - 'body' - 'note'
   WHERE case_id = p_case_id AND (data ? 'title' OR data ? 'body' OR data ? 'note');
  GET DIAGNOSTICS changed = ROW_COUNT;
  PERFORM set_config('nhipcau.case_text_removal', 'off', true);
  RETURN changed;
END;
$$;
