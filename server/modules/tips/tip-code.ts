import { createHash, createHmac } from 'node:crypto'

/** Crockford-like alphabet without 0/O/1/I/L: easy to read aloud and to copy by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const GROUPS = 5
const GROUP_LEN = 4

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/**
 * The code shown once to an anonymous tipster: 20 symbols from a 31-letter alphabet (≈ 99 bits),
 * derived with the server secret from the client's random idempotency key. Deriving (rather than
 * storing) it lets a retried submission show the same code again, while the database keeps only
 * SHA-256 hashes of the code and of the key: neither can be turned back into the code.
 */
export function tipCodeFor(secret: string, idempotencyKey: string): string {
  const bytes = createHmac('sha256', secret).update(`tip-code:${idempotencyKey}`).digest()
  let out = ''
  for (let i = 0; i < GROUPS * GROUP_LEN; i++) out += ALPHABET[bytes.readUInt16BE(i) % ALPHABET.length]
  return out.match(new RegExp(`.{${GROUP_LEN}}`, 'g'))!.join('-')
}

/** Upper-cases and drops separators, so "abcd efgh-…" and "ABCD-EFGH-…" are the same code. */
export const normaliseTipCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '')

export const hashTipCode = (code: string) => sha256(`tip-code:${normaliseTipCode(code)}`)

export const hashIdempotencyKey = (key: string) => sha256(`tip-idempotency:${key}`)
