import { and, desc, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows, uuidArray } from '../../db/query'
import { scamNumberAlerts, scamNumbers, scamReports, units } from '../../db/schema/index'
import type { Scope } from '../../lib/scope'
import { scamNumbersPolicy } from './scam-numbers.policy'

export type ScamNumberRow = typeof scamNumbers.$inferSelect
export type ScamReportRow = typeof scamReports.$inferSelect
export type ScamReportInsert = typeof scamReports.$inferInsert

/** A report in the staff queue, with its reporter and number (personal data: audited reads). */
export interface QueueRow {
  report: ScamReportRow
  phone: string
  numberStatus: 'reported' | 'verified'
  areaName: string
  reporterName: string
  reporterPhone: string | null
  reporters: number
  alertId: string | null
}

/** Counts only (no reporter, no area below the province): what the public page and feed show. */
export interface NumberCounts {
  reporters: number
  firstReportedAt: Date
  lastReportedAt: Date
  last7: { province: string; count: number }[]
  weeks: { week_start: string; province: string; count: number }[]
  claims: { claimed_as: ScamReportRow['claimedAs']; count: number }[]
}

// A reporter counts once per number however often they report it; rejected reports never count.
const counted = sql`r.status <> 'rejected'`

const reportsWithContext = (where: ReturnType<typeof sql>) => sql`
  select r.id, n.phone, n.status as number_status, a.name as area_name,
         coalesce(u.full_name, u.display_name) as reporter_name, u.phone as reporter_phone,
         (select count(distinct x.reporter_id)::int from scam_reports x
           where x.number_id = r.number_id and x.status <> 'rejected') as reporters,
         (select l.alert_id from scam_number_alerts l where l.number_id = r.number_id
           order by l.created_at desc limit 1) as alert_id
    from scam_reports r
    join scam_numbers n on n.id = r.number_id
    join units a on a.id = r.area_id
    join users u on u.id = r.reporter_id
   where ${where}
   order by r.created_at desc
   limit 200`

export const scamNumbersRepository = {
  area: async (db: DbOrTx, id: string) =>
    (await db.select({ id: units.id, path: units.path }).from(units).where(eq(units.id, id)))[0],

  findNumber: async (db: DbOrTx, phone: string): Promise<ScamNumberRow | undefined> =>
    (await db.select().from(scamNumbers).where(eq(scamNumbers.phone, phone)))[0],

  /** The number's row, made on its first report (two first reports at once make one row). */
  async upsertNumber(tx: DbOrTx, phone: string): Promise<ScamNumberRow> {
    await tx.insert(scamNumbers).values({ phone }).onConflictDoNothing({ target: scamNumbers.phone })
    return (await tx.select().from(scamNumbers).where(eq(scamNumbers.phone, phone)))[0]!
  },

  findByClientKey: async (db: DbOrTx, reporterId: string, clientKey: string) =>
    (
      await db
        .select()
        .from(scamReports)
        .where(and(eq(scamReports.reporterId, reporterId), eq(scamReports.clientKey, clientKey)))
    )[0],

  insertReport: async (tx: DbOrTx, values: ScamReportInsert) =>
    (await tx.insert(scamReports).values(values).returning())[0]!,

  listMine: (db: DbOrTx, reporterId: string) =>
    db
      .select({ report: scamReports, phone: scamNumbers.phone })
      .from(scamReports)
      .innerJoin(scamNumbers, eq(scamNumbers.id, scamReports.numberId))
      .where(eq(scamReports.reporterId, reporterId))
      .orderBy(desc(scamReports.createdAt))
      .limit(200),

  get: async (db: DbOrTx, id: string) =>
    (
      await db
        .select({ report: scamReports, number: scamNumbers })
        .from(scamReports)
        .innerJoin(scamNumbers, eq(scamNumbers.id, scamReports.numberId))
        .where(eq(scamReports.id, id))
    )[0],

  /** The queue: only reports of areas the scope may read (the policy's SQL twin). */
  async listQueue(db: DbOrTx, scope: Scope, status: 'pending' | 'verified' | 'rejected' | 'all') {
    const where = sql`${scamNumbersPolicy.scopes.read(scope, { areaPath: sql`r.area_path` })}
      ${status === 'all' ? sql`` : sql`and r.status = ${status}`}`
    return scamNumbersRepository.withContext(db, where)
  },

  async withContext(db: DbOrTx, where: ReturnType<typeof sql>): Promise<QueueRow[]> {
    const rows = await queryRows<{
      id: string
      phone: string
      number_status: QueueRow['numberStatus']
      area_name: string
      reporter_name: string
      reporter_phone: string | null
      reporters: number
      alert_id: string | null
    }>(db, reportsWithContext(where))
    if (!rows.length) return []
    const reports = await db
      .select()
      .from(scamReports)
      .where(sql`${scamReports.id} = any(${uuidArray(rows.map((r) => r.id))})`)
    const byId = new Map(reports.map((r) => [r.id, r]))
    return rows.map((r) => ({
      report: byId.get(r.id)!,
      phone: r.phone,
      numberStatus: r.number_status,
      areaName: r.area_name,
      reporterName: r.reporter_name,
      reporterPhone: r.reporter_phone,
      reporters: r.reporters,
      alertId: r.alert_id,
    }))
  },

  oneWithContext: async (db: DbOrTx, id: string) =>
    (await scamNumbersRepository.withContext(db, sql`r.id = ${id}`))[0],

  review: async (
    tx: DbOrTx,
    id: string,
    v: { status: 'verified' | 'rejected'; by: string; note: string | null },
  ) =>
    (
      await tx
        .update(scamReports)
        .set({ status: v.status, reviewedBy: v.by, reviewedAt: new Date(), reviewNote: v.note })
        // Only a pending report changes: two officers deciding at once, the first one wins.
        .where(and(eq(scamReports.id, id), eq(scamReports.status, 'pending')))
        .returning()
    )[0],

  markVerified: (tx: DbOrTx, numberId: string, by: string) =>
    tx
      .update(scamNumbers)
      .set({ status: 'verified', verifiedAt: new Date(), verifiedBy: by, updatedAt: new Date() })
      .where(and(eq(scamNumbers.id, numberId), eq(scamNumbers.status, 'reported'))),

  /** Counts for one number: distinct reporters in all, per province in the last 7 days and per week. */
  async counts(db: DbOrTx, numberId: string, now: Date, weeks = 8): Promise<NumberCounts> {
    const [totals] = await queryRows<{ reporters: number; first: Date | string; last: Date | string }>(
      db,
      sql`select count(distinct r.reporter_id)::int as reporters, min(r.created_at) as first,
                 max(r.created_at) as last
            from scam_reports r where r.number_id = ${numberId} and ${counted}`,
    )
    const since7 = new Date(now.getTime() - 7 * 86_400_000)
    const sinceWeeks = new Date(now.getTime() - weeks * 7 * 86_400_000)
    const [last7, perWeek, claims] = await Promise.all([
      queryRows<{ province: string; count: number }>(
        db,
        sql`select p.name as province, count(distinct r.reporter_id)::int as count
              from scam_reports r join units p on p.id = r.province_id
             where r.number_id = ${numberId} and ${counted} and r.created_at > ${since7}
             group by p.name order by count desc, p.name`,
      ),
      queryRows<{ week_start: string; province: string; count: number }>(
        db,
        sql`select to_char(date_trunc('week', r.created_at at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM-DD') as week_start,
                   p.name as province, count(distinct r.reporter_id)::int as count
              from scam_reports r join units p on p.id = r.province_id
             where r.number_id = ${numberId} and ${counted} and r.created_at > ${sinceWeeks}
             group by 1, 2 order by 1 desc, count desc, p.name`,
      ),
      queryRows<{ claimed_as: ScamReportRow['claimedAs']; count: number }>(
        db,
        sql`select r.claimed_as, count(distinct r.reporter_id)::int as count
              from scam_reports r where r.number_id = ${numberId} and ${counted}
             group by r.claimed_as order by count desc, r.claimed_as`,
      ),
    ])
    return {
      reporters: totals?.reporters ?? 0,
      firstReportedAt: new Date(totals?.first ?? now),
      lastReportedAt: new Date(totals?.last ?? now),
      last7,
      weeks: perWeek,
      claims,
    }
  },

  /** Every verified number with its counts, newest report first (the public feed). */
  feed: (db: DbOrTx, now: Date) =>
    queryRows<{
      phone: string
      verified_at: Date | string
      first_reported_at: Date | string
      last_reported_at: Date | string
      reporters: number
      reporters_7d: number
      claims: string[]
    }>(
      db,
      sql`select n.phone, n.verified_at, min(r.created_at) as first_reported_at,
                 max(r.created_at) as last_reported_at,
                 count(distinct r.reporter_id)::int as reporters,
                 count(distinct r.reporter_id) filter (where r.created_at > ${new Date(now.getTime() - 7 * 86_400_000)})::int as reporters_7d,
                 array_agg(distinct r.claimed_as order by r.claimed_as) as claims
            from scam_numbers n join scam_reports r on r.number_id = n.id and ${counted}
           where n.status = 'verified'
           group by n.id order by max(r.created_at) desc, n.phone
           limit 5000`,
    ),

  /** The newest alert raised from the number, with its state (a live one is not raised twice). */
  latestAlert: async (db: DbOrTx, numberId: string) =>
    (
      await queryRows<{ alert_id: string; state: string; headline: string; report_ids: string[] }>(
        db,
        sql`select l.alert_id, a.state, a.headline, l.report_ids from scam_number_alerts l
              join alerts a on a.id = l.alert_id
             where l.number_id = ${numberId} order by l.created_at desc limit 1`,
      )
    )[0],

  /** The verified reports of a number the caller may read: what a raised alert carries. */
  verifiedReportIds: async (db: DbOrTx, scope: Scope, numberId: string) =>
    (
      await queryRows<{ id: string }>(
        db,
        sql`select r.id from scam_reports r
             where r.number_id = ${numberId} and r.status = 'verified'
               and ${scamNumbersPolicy.scopes.read(scope, { areaPath: sql`r.area_path` })}
             order by r.created_at`,
      )
    ).map((r) => r.id),

  /** Who asks to join a `scam:<unit>` room, and that unit's path. */
  /** A unit's tree path (what a `scam:<unit>` room is decided on). */
  async unitPath(db: DbOrTx, unitId: string) {
    const [unit] = await db.select({ path: units.path }).from(units).where(eq(units.id, unitId))
    return unit
  },

  /** Held until the transaction ends: one officer at a time decides on a number's warning. */
  lockForWarning: async (tx: DbOrTx, numberId: string) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`scam-warning:${numberId}`}))`)
  },

  linkAlert: (tx: DbOrTx, v: typeof scamNumberAlerts.$inferInsert) => tx.insert(scamNumberAlerts).values(v),
}
