/** True for a unique-constraint violation (SQLSTATE 23505), from PGlite or node-postgres, wrapped or not. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: string }).code === '23505') return true
  }
  return false
}
