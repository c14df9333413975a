-- Default hierarchy after the 1/7/2025 reform; the district level is kept (disabled) for older data.
INSERT INTO hierarchy_levels (key, position, label_vi, label_en, kinds, enabled) VALUES
  ('province', 10, 'Cấp tỉnh', 'Province level',
   '[{"key":"city","labelVi":"Thành phố","labelEn":"City"},{"key":"province","labelVi":"Tỉnh","labelEn":"Province"}]', true),
  ('district', 20, 'Cấp huyện (trước 1/7/2025)', 'District level (before 1/7/2025)',
   '[{"key":"urban_district","labelVi":"Quận","labelEn":"Urban district"},{"key":"rural_district","labelVi":"Huyện","labelEn":"Rural district"},{"key":"town","labelVi":"Thị xã","labelEn":"Town"},{"key":"provincial_city","labelVi":"Thành phố thuộc tỉnh","labelEn":"Provincial city"}]', false),
  ('commune', 30, 'Cấp xã', 'Commune level',
   '[{"key":"ward","labelVi":"Phường","labelEn":"Ward"},{"key":"commune","labelVi":"Xã","labelEn":"Commune"},{"key":"special_zone","labelVi":"Đặc khu","labelEn":"Special zone"},{"key":"township","labelVi":"Thị trấn","labelEn":"Township"}]', true),
  ('residential_group', 40, 'Tổ dân phố, thôn', 'Residential group',
   '[{"key":"residential_group","labelVi":"Tổ dân phố","labelEn":"Residential group"},{"key":"village","labelVi":"Thôn","labelEn":"Village"},{"key":"hamlet","labelVi":"Ấp, bản","labelEn":"Hamlet"},{"key":"neighbourhood","labelVi":"Khu phố","labelEn":"Neighbourhood"}]', true)
ON CONFLICT (key) DO NOTHING;
--> statement-breakpoint
-- Directory search folds diacritics on both sides (f_unaccent from 0000); trigram indexes serve ILIKE '%…%'.
CREATE INDEX IF NOT EXISTS units_name_search_idx ON units USING gin (lower(f_unaccent(name)) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS units_address_search_idx ON units USING gin (lower(f_unaccent(coalesce(address, ''))) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_display_name_search_idx ON users USING gin (lower(f_unaccent(display_name)) gin_trgm_ops) WHERE kind = 'staff';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS units_phone_idx ON units (phone) WHERE phone IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS area_assignments_current_idx ON area_assignments (area_id, starts_at) WHERE ends_at IS NULL;
