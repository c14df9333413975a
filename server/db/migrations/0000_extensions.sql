-- Extensions and Vietnamese text search helpers (drizzle-kit does not emit these).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pgcrypto;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;
--> statement-breakpoint
-- unaccent() is STABLE and cannot back an index; this wrapper pins the dictionary and is IMMUTABLE.
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
--> statement-breakpoint
-- Vietnamese has no stemmer; fold diacritics (đ → d) and keep syllables as words.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'vi_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION vi_unaccent (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION vi_unaccent ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
END $$;
