-- Evidence rows stay append-only, with one way past the trigger: evidence_remove_bytes(id, reason)
-- records that the stored bytes were deleted (account erasure, retention or an administrator's
-- quarantine of spam) and returns the storage keys to delete. The hash, size, kind and links stay.
-- The trigger lets exactly that change through, and only while the function runs (a transaction-local
-- setting the function sets and clears); every other UPDATE or DELETE still raises.
CREATE OR REPLACE FUNCTION evidence_files_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('nhipcau.evidence_bytes_removal', true) = 'on'
     AND OLD.bytes_removed_at IS NULL AND NEW.bytes_removed_at IS NOT NULL
     AND (to_jsonb(NEW) - 'bytes_removed_at' - 'bytes_removed_reason')
       = (to_jsonb(OLD) - 'bytes_removed_at' - 'bytes_removed_reason') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
DROP TRIGGER evidence_files_no_update_delete ON evidence_files;
--> statement-breakpoint
CREATE TRIGGER evidence_files_no_update_delete BEFORE UPDATE OR DELETE ON evidence_files
  FOR EACH ROW EXECUTE FUNCTION evidence_files_append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION evidence_remove_bytes(p_id uuid, p_reason text)
RETURNS TABLE (storage_key text, thumb_key text) LANGUAGE plpgsql AS $$
BEGIN
  IF p_reason NOT IN ('erasure', 'retention', 'quarantine') THEN
    RAISE EXCEPTION 'evidence_remove_bytes: unknown reason %', p_reason USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM set_config('nhipcau.evidence_bytes_removal', 'on', true);
  RETURN QUERY
    UPDATE evidence_files e SET bytes_removed_at = now(), bytes_removed_reason = p_reason
     WHERE e.id = p_id AND e.bytes_removed_at IS NULL
     RETURNING e.storage_key, e.thumb_key;
  PERFORM set_config('nhipcau.evidence_bytes_removal', 'off', true);
END;
$$;
