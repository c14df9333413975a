-- The audit log is kept 5 years (roles-and-data.md), then deleted by the retention job. The table
-- stays append-only: the trigger lets a DELETE through only while audit_log_purge() runs (a
-- transaction-local setting the function sets and clears) and only for a row more than 5 years old
-- by the database's own clock, so even a caller who sets the flag by hand cannot remove a younger
-- row. The 30-day blanking of IP and user agent is unchanged; UPDATE otherwise and TRUNCATE raise.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.at < now() - interval '30 days'
       AND NEW.ip IS NULL AND NEW.user_agent IS NULL
       AND (to_jsonb(NEW) - 'ip' - 'user_agent') = (to_jsonb(OLD) - 'ip' - 'user_agent') THEN
      RETURN NEW;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF current_setting('nhipcau.audit_purge', true) = 'on' AND OLD.at < now() - interval '5 years' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- Deletes the rows older than p_before, never younger than 5 years by the database's clock (a clock
-- a test moves ahead cannot reach younger rows). Returns how many went.
CREATE OR REPLACE FUNCTION audit_log_purge(p_before timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  removed integer;
BEGIN
  PERFORM set_config('nhipcau.audit_purge', 'on', true);
  DELETE FROM audit_log WHERE at < least(p_before, now() - interval '5 years');
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('nhipcau.audit_purge', 'off', true);
  RETURN removed;
END;
$$;
