-- Search across conversations with or without diacritics: trigram index on the folded body.
CREATE INDEX IF NOT EXISTS messages_body_trgm_idx ON messages USING gin (lower(f_unaccent(body)) gin_trgm_ops);
