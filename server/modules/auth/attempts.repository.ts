import { and, eq, isNull, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { authFailures, otpCodes } from '../../db/schema/index'

/** A rate limit: at most `max` rows in the last `minutes`. */
export interface Window {
  max: number
  minutes: number
}

/** Which counts an attempt is checked against: per subject, per IP, per (subject, IP). */
export type AttemptLimits = Partial<Record<'subjectAndIp' | 'subject' | 'ip', Window>>

/** The advisory-lock namespace of sign-in limits (the two-int form never meets the bigint locks). */
const LOCK_SPACE = 73_011

/**
 * Holds a transaction-scoped advisory lock on one key: every instance that counts and inserts for
 * the same key waits here, so the count it reads includes every row inserted before it.
 */
async function lockKey(tx: DbOrTx, key: string) {
  await queryRows(tx, sql`select pg_advisory_xact_lock(${LOCK_SPACE}, hashtext(${key}))::text as locked`)
}

const since = (minutes: number) => sql`now() - make_interval(mins => ${minutes})`
const longest = (windows: (Window | undefined)[]) => Math.max(1, ...windows.map((w) => w?.minutes ?? 0))

/**
 * Takes one attempt slot before the expensive or secret check runs: under a lock per subject
 * (and per IP), counts the attempts of the windows and inserts a pending row only when every limit
 * has room. The row stays as the failure when the check fails; `releaseAttempt` removes it when the
 * check succeeds (or never ran). Parallel requests therefore never run more checks than the limit.
 * `bySubject` is the subject's count from every IP before this attempt (for soft limits).
 */
export async function takeAttempt(
  db: DbOrTx,
  kind: string,
  subject: string,
  ip: string | null,
  limits: AttemptLimits,
): Promise<{ id: number; bySubject: number } | { refused: keyof AttemptLimits }> {
  return db.transaction(async (tx) => {
    await lockKey(tx, `auth:${kind}:subject:${subject}`)
    if (ip && limits.ip) await lockKey(tx, `auth:${kind}:ip:${ip}`)
    const { subjectAndIp, subject: bySubjectWindow, ip: byIpWindow } = limits
    const all = longest([subjectAndIp, bySubjectWindow, byIpWindow])
    const window = (w: Window | undefined) => since(w?.minutes ?? all)
    const [counts] = await queryRows<{ by_pair: number; by_subject: number; by_ip: number }>(
      tx,
      sql`select
            count(*) filter (where subject = ${subject} and ip is not distinct from ${ip}
              and at > ${window(subjectAndIp)})::int as by_pair,
            count(*) filter (where subject = ${subject} and at > ${window(bySubjectWindow)})::int as by_subject,
            count(*) filter (where ip = ${ip} and at > ${window(byIpWindow)})::int as by_ip
          from auth_failures
          where kind = ${kind} and (subject = ${subject} or ip = ${ip})
            and at > ${since(all)}`,
    )
    const n = { subjectAndIp: counts?.by_pair ?? 0, subject: counts?.by_subject ?? 0, ip: counts?.by_ip ?? 0 }
    for (const key of ['subjectAndIp', 'subject', 'ip'] as const) {
      const limit = limits[key]
      if (limit && (key !== 'ip' || ip) && n[key] >= limit.max) return { refused: key }
    }
    const [row] = await tx
      .insert(authFailures)
      .values({ kind, subject, ip })
      .returning({ id: authFailures.id })
    return { id: row!.id, bySubject: n.subject }
  })
}

/** The check succeeded (or did not run): the pending attempt is not a failure. */
export async function releaseAttempt(db: DbOrTx, id: number) {
  await db.delete(authFailures).where(eq(authFailures.id, id))
}

/**
 * Stores a new sign-in code only when the number (and the IP) asked fewer times than their limits,
 * under a lock per number and per IP, so parallel requests on several instances never send more
 * codes than the limit. Earlier open codes of the number are closed: only the newest is accepted.
 */
export async function insertCodeWithinLimits(
  db: DbOrTx,
  values: typeof otpCodes.$inferInsert,
  limits: { perNumber: Window; perIp: Window },
): Promise<{ sentBefore: number } | { refused: 'number' | 'ip' }> {
  return db.transaction(async (tx) => {
    await lockKey(tx, `otp-code:number:${values.phone}`)
    if (values.ip) await lockKey(tx, `otp-code:ip:${values.ip}`)
    const [counts] = await queryRows<{ by_number: number; by_ip: number }>(
      tx,
      sql`select
            (select count(*) from otp_codes where phone = ${values.phone}
              and created_at > ${since(limits.perNumber.minutes)})::int as by_number,
            (select count(*) from otp_codes where ${values.ip ?? null}::text is not null and ip = ${values.ip ?? null}
              and created_at > ${since(limits.perIp.minutes)})::int as by_ip`,
    )
    const sentBefore = counts?.by_number ?? 0
    if (sentBefore >= limits.perNumber.max) return { refused: 'number' as const }
    if (values.ip && (counts?.by_ip ?? 0) >= limits.perIp.max) return { refused: 'ip' as const }
    await tx
      .update(otpCodes)
      .set({ consumedAt: sql`now()` })
      .where(and(eq(otpCodes.phone, values.phone), isNull(otpCodes.consumedAt)))
    await tx.insert(otpCodes).values(values)
    return { sentBefore }
  })
}
