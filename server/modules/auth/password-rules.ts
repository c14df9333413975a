import { readFileSync } from 'node:fs'
import { PASSWORD_MIN_LENGTH } from '@common/schemas/account'
import { projectPath } from '../../lib/project-paths'

let common: Set<string> | undefined

/** The shipped list (`common-passwords.txt`), read once on first use. */
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(projectPath('server/modules/auth/common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  )
  return common
}

/** What is left of a password once digits and symbols at its ends are gone: "Matkhau@2024" → "matkhau". */
const core = (password: string) =>
  password
    .toLowerCase()
    .replace(/^[^\p{L}]+/u, '')
    .replace(/[^\p{L}]+$/u, '')

/**
 * Why a new staff password is refused, or null when it is acceptable: shorter than 12 characters,
 * or a common or breached one (on the list, a list entry with digits or symbols around it, the
 * user's own username, only digits, or hardly more than one repeated character).
 */
export function passwordProblem(
  password: string,
  user: { username: string | null },
): 'too_short' | 'common' | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short'
  const lower = password.toLowerCase()
  const list = commonPasswords()
  const base = core(password)
  if (list.has(lower) || (base.length >= 4 && list.has(base))) return 'common'
  if (user.username && (base === user.username.toLowerCase() || lower.includes(user.username.toLowerCase())))
    return 'common'
  // Hardly more than one character repeated, or only digits (dates, phone numbers).
  if (new Set(lower).size < 5 || /^\d+$/.test(password)) return 'common'
  return null
}
