/**
 * Tells a database that cannot be reached (refused, reset, timed out, shutting down, too many
 * connections) from a query that failed on its own merits. The first is answered 503 with
 * Retry-After, because trying again later will work; the second stays a 500.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
])

/** PostgreSQL SQLSTATEs of a server going away or full: class 08 (connection), 57P01-03, 53300. */
const SQLSTATE_UNAVAILABLE = /^(08\d{3}|57P0[123]|53300)$/

const MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'connection error and is not queryable',
  'Client was closed and is not queryable',
]

export function isDatabaseUnavailable(err: unknown): boolean {
  let current: unknown = err
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown }
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQLSTATE_UNAVAILABLE.test(e.code)))
      return true
    if (typeof e.message === 'string' && MESSAGES.some((m) => (e.message as string).includes(m))) return true
    if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable)) return true
    current = e.cause
  }
  return false
}

/** Seconds a client is asked to wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_S = 5
