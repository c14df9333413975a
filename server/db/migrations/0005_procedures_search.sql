-- Procedure search (tech-notes §3): full text over folded syllables and two-syllable phrases,
-- trigram matching on the folded name and keywords for typos and partial words.
CREATE INDEX IF NOT EXISTS procedures_search_vector_idx ON procedures USING gin (search_vector);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS procedures_name_fts_idx ON procedures USING gin (to_tsvector('vi_unaccent', name_vi));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS procedures_name_trgm_idx ON procedures USING gin (lower(f_unaccent(name_vi)) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS procedures_keywords_trgm_idx ON procedures USING gin (search_keywords gin_trgm_ops);
