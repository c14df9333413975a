import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from 'node:crypto'

/** A random token for cookies and challenges: 256 bits, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url')

/** Session and challenge tokens are high-entropy, so a plain SHA-256 is enough to store them. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url')

/** Keyed hash for low-entropy secrets (6-digit codes, recovery codes): useless without SESSION_SECRET. */
export const hmac = (secret: string, value: string) =>
  createHmac('sha256', secret).update(value).digest('base64url')

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && timingSafeEqual(ab, bb)
}

/** A 6-digit one-time code, uniformly drawn (randomInt has no modulo bias). */
export const newOtpCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0')

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** "k7m2p-q9x4t": 10 characters from an unambiguous alphabet (~49 bits). */
export function newRecoveryCode(): string {
  let s = ''
  for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[randomInt(0, RECOVERY_ALPHABET.length)]
  return `${s.slice(0, 5)}-${s.slice(5)}`
}

/** Recovery codes are compared without dashes, spaces or case. */
export const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '')

const keyFor = (secret: string) => createHash('sha256').update(`nhipcau:totp-secret:${secret}`).digest()

/** AES-256-GCM under a key derived from SESSION_SECRET: a database dump alone does not reveal TOTP secrets. */
export function encryptSecret(secret: string, plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret), iv)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
}

export function decryptSecret(secret: string, sealed: string): string {
  const buf = Buffer.from(sealed, 'base64url')
  const decipher = createDecipheriv('aes-256-gcm', keyFor(secret), buf.subarray(0, 12))
  decipher.setAuthTag(buf.subarray(12, 28))
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8')
}
