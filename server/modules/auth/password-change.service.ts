import type { TChangePassword } from '@common/schemas/account'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { AppError, invalidField } from '../../lib/errors'
import { hashPassword, verifyPassword } from '../../lib/passwords'
import { type AuditContext, audit } from '../audit/audit.service'
import { releaseAttempt, takeAttempt } from './attempts.repository'
import { passwordProblem } from './password-rules'
import { revokeUserSessionIds } from './session.repository'
import * as repo from './staff.repository'
import { STAFF_LIMITS } from './staff-sign-in.service'

/**
 * A staff member changes their own password (security review F20). The current password is checked
 * under the sign-in limits and counters (same kind, same username), so a stolen session cannot guess
 * it faster than the sign-in page allows. The new one needs 12 characters and must not be a common
 * or breached password. On success every other session of the user ends, and so does any sign-in
 * still waiting for its second factor; this browser stays signed in. Returns the ended session ids
 * (for the caller to close their sockets after commit).
 */
export async function changeStaffPassword(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: TChangePassword,
  ip: string | null,
): Promise<string[]> {
  const user = await repo.findUserById(db, actor.userId)
  if (!user?.passwordHash) throw invalidField('currentPassword', 'wrong', 'auth.password.wrong_current')
  const slot = await takeAttempt(db, 'password', (user.username ?? user.id).toLowerCase(), ip, {
    subjectAndIp: STAFF_LIMITS.passwordFailuresPerUsernameAndIp,
  })
  if ('refused' in slot) throw new AppError('rate_limited', 'auth.staff.locked')
  // A wrong guess keeps its slot as a failure; a right one gives it back.
  if (!(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw invalidField('currentPassword', 'wrong', 'auth.password.wrong_current')
  await releaseAttempt(db, slot.id)

  const problem = passwordProblem(input.newPassword, user)
  if (problem) throw invalidField('newPassword', problem, `auth.password.${problem}`)
  if (input.newPassword === input.currentPassword)
    throw invalidField('newPassword', 'unchanged', 'auth.password.unchanged')

  const passwordHash = await hashPassword(input.newPassword)
  return db.transaction(async (tx) => {
    await repo.setPasswordHash(tx, user.id, passwordHash)
    await repo.consumeOpenChallenges(tx, user.id)
    const ended = await revokeUserSessionIds(tx, user.id, actor.sessionId)
    await audit.record(tx, ctx, {
      action: 'auth.password_change',
      entityType: 'user',
      entityId: user.id,
      details: { sessionsEnded: ended.length },
    })
    return ended
  })
}
