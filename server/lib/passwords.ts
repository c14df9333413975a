import argon2, { type HashOptions } from 'argon2'

/**
 * argon2id with the library's defaults (64 MiB, t=3): OWASP's recommended floor for staff passwords.
 * Inside Vitest's workers only (VITEST is set by Vitest, never by `npm start`), the smallest cost
 * argon2id allows: a test that tries 20 wrong passwords should not spend seconds on key stretching.
 * The cost is stored in each hash, so verifying never depends on this choice.
 */
const options: HashOptions = process.env.VITEST
  ? { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 }
  : { type: argon2.argon2id }

export const hashPassword = (password: string) => argon2.hash(password, options)

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password)
  } catch {
    return false
  }
}
