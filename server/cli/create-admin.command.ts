import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../db/client'
import { roleGrants, users } from '../db/schema/index'
import { hashPassword } from '../lib/passwords'
import { audit, systemAuditContext } from '../modules/audit/audit.service'
import { passwordProblem } from '../modules/auth/password-rules'
import { CliError } from './cli-error'

const PASSWORD_MESSAGES = {
  too_short: 'expected at least 12 characters',
  common:
    'too common or easy to guess (a well-known password, the username, only digits or few distinct characters)',
} as const

/** A given password passes the same rule as a staff member's own password change (`passwordProblem`). */
export const ZCreateAdminInput = z
  .object({
    username: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'expected 3–32 lower-case letters, digits, ".", "-" or "_"'),
    displayName: z.string().trim().min(1, 'expected a name').max(120),
    password: z.string().max(256).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.password === undefined) return
    const problem = passwordProblem(input.password, { username: input.username })
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: PASSWORD_MESSAGES[problem] })
  })
export type TCreateAdminInput = z.input<typeof ZCreateAdminInput>

export interface CreatedAdmin {
  userId: string
  username: string
  /** The password, when this command generated it: shown once, never stored in clear. */
  generatedPassword: string | null
}

/**
 * Creates a system administrator (a staff account with the admin role over the whole tree).
 * The second factor is enrolled at first sign-in. Refuses a username that is already taken.
 */
export async function runCreateAdmin(db: Db, input: TCreateAdminInput): Promise<CreatedAdmin> {
  const parsed = ZCreateAdminInput.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CliError(`invalid --${String(issue?.path[0] ?? 'input')}: ${issue?.message}`)
  }
  const { username, displayName } = parsed.data
  const generatedPassword = parsed.data.password ? null : randomBytes(15).toString('base64url')
  const passwordHash = await hashPassword(parsed.data.password ?? generatedPassword!)
  const userId = await db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username))
    if (taken) throw new CliError(`the username "${username}" is already taken`)
    const [user] = await tx
      .insert(users)
      .values({ kind: 'staff', username, displayName, title: 'Quản trị hệ thống', passwordHash })
      .returning({ id: users.id })
    await tx.insert(roleGrants).values({ userId: user!.id, role: 'admin', unitId: null })
    await audit.record(tx, systemAuditContext(), {
      action: 'account.create',
      entityType: 'user',
      entityId: user!.id,
      details: { role: 'admin', via: 'cli' },
    })
    return user!.id
  })
  return { userId, username, generatedPassword }
}
