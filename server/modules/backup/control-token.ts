import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The running server and the `nhipcau` command on the same machine share this token through the
 * data folder (mode 0600): whoever can read it can read the whole data folder anyway. It lets
 * `nhipcau backup` ask a running server for a consistent snapshot of its embedded database, which
 * no other process may open while the server holds it.
 */
const FILE = 'control-token'

export function ensureControlToken(dataDir: string): string {
  const path = join(dataDir, FILE)
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const token = randomBytes(32).toString('base64url')
  writeFileSync(path, `${token}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
  return token
}

export function readControlToken(dataDir: string): string | undefined {
  const path = join(dataDir, FILE)
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined
}

export function sameToken(expected: string, given: string | undefined): boolean {
  if (!given) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
