/**
 * Folds Vietnamese text for matching: lower case, no diacritics, đ → d.
 * The same folding as the database's f_unaccent(lower(…)), so client and server agree.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
}

/** A URL-safe slug from Vietnamese text: "Phường Hai Bà Trưng" → "phuong-hai-ba-trung". */
export function slugify(text: string): string {
  return foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
}
