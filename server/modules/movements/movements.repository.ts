import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { residenceReports, units, users } from '../../db/schema/index'
import { underAnyPath } from '../../db/unit-path-sql'
import type { Scope } from '../../lib/scope'
import { movementsPolicy } from './movements.policy'

export type ReportRow = typeof residenceReports.$inferSelect
export type ReportInsert = typeof residenceReports.$inferInsert

/** A report with the names a view needs. */
export interface ReportWithNames {
  report: ReportRow
  areaName: string
  reporterName: string
  reviewerName: string | null
}

const reporter = alias(users, 'reporter')
const reviewer = alias(users, 'reviewer')
const r = residenceReports

function selectNamed(db: DbOrTx) {
  return db
    .select({
      report: r,
      areaName: units.name,
      reporterName: reporter.displayName,
      reviewerName: reviewer.displayName,
    })
    .from(r)
    .innerJoin(units, eq(units.id, r.areaId))
    .innerJoin(reporter, eq(reporter.id, r.reporterId))
    .leftJoin(reviewer, eq(reviewer.id, r.reviewerId))
}

export interface Conflict {
  reportId: string
  code: 'same_id_elsewhere' | 'tenant_not_self_reported'
  otherAreaPath: string
  otherAddress: string
}

export interface Capacities {
  home: { areaId: string; areaPath: string; areaName: string; address: string | null } | null
  landlordPaths: string[]
  businessPaths: string[]
}

export const movementsRepository = {
  /** Where a resident may report: home, and the units of their landlords' and businesses' groups. */
  async capacities(db: DbOrTx, userId: string): Promise<Capacities> {
    const [home] = await queryRows<{
      area_id: string
      area_path: string
      area_name: string
      address: string | null
    }>(
      db,
      sql`select a.id as area_id, a.path as area_path, a.name as area_name, u.address from users u
          join units a on a.id = u.area_id where u.id = ${userId} and u.deleted_at is null`,
    )
    const groupsOf = await queryRows<{ kind: string; unit_path: string }>(
      db,
      sql`select g.kind, g.unit_path from group_members m join groups g on g.id = m.group_id
          where m.user_id = ${userId} and m.status = 'active' and g.archived_at is null
            and g.kind in ('landlords', 'security_conditional_business')`,
    )
    const paths = (kind: string) => groupsOf.filter((g) => g.kind === kind).map((g) => g.unit_path)
    return {
      home: home
        ? { areaId: home.area_id, areaPath: home.area_path, areaName: home.area_name, address: home.address }
        : null,
      landlordPaths: paths('landlords'),
      businessPaths: paths('security_conditional_business'),
    }
  },

  /** Residential groups under any of the given units (the areas a landlord or business reports in). */
  async areasUnder(db: DbOrTx, roots: readonly string[]) {
    return db
      .select({ id: units.id, name: units.name, path: units.path })
      .from(units)
      .where(and(eq(units.level, 'residential_group'), underAnyPath(units.path, roots)))
      .orderBy(asc(units.name))
      .limit(500)
  },

  async area(db: DbOrTx, id: string) {
    const [row] = await db
      .select({ id: units.id, name: units.name, path: units.path })
      .from(units)
      .where(and(eq(units.id, id), eq(units.level, 'residential_group')))
    return row
  },

  async get(db: DbOrTx, id: string): Promise<ReportWithNames | undefined> {
    const [row] = await selectNamed(db).where(eq(r.id, id))
    return row
  },

  async findByClientKey(db: DbOrTx, reporterId: string, clientKey: string): Promise<ReportRow | undefined> {
    const [row] = await db
      .select()
      .from(residenceReports)
      .where(and(eq(residenceReports.reporterId, reporterId), eq(residenceReports.clientKey, clientKey)))
    return row
  },

  async insert(db: DbOrTx, values: ReportInsert[]): Promise<ReportRow[]> {
    return db.insert(residenceReports).values(values).returning()
  },

  async update(db: DbOrTx, id: string, values: Partial<ReportInsert>): Promise<ReportRow> {
    const [row] = await db
      .update(residenceReports)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(residenceReports.id, id))
      .returning()
    return row!
  },

  async listMine(db: DbOrTx, userId: string): Promise<ReportWithNames[]> {
    return selectNamed(db).where(eq(r.reporterId, userId)).orderBy(desc(r.createdAt)).limit(100)
  },

  /** The guests of a list in the order of the file or form (their client keys end with the row). */
  async listOfGuestList(db: DbOrTx, guestListId: string): Promise<ReportWithNames[]> {
    return selectNamed(db)
      .where(eq(r.guestListId, guestListId))
      .orderBy(sql`length(${r.clientKey})`, asc(r.clientKey))
  },

  /** The verification queue: overdue first, then the oldest. */
  async listQueue(
    db: DbOrTx,
    scope: Scope,
    q: { status: string; areaId?: string | undefined; kind?: string | undefined },
  ): Promise<ReportWithNames[]> {
    const status =
      q.status === 'open'
        ? sql`${r.status} in ('pending', 'needs_correction')`
        : sql`${r.status} = ${q.status}`
    return selectNamed(db)
      .where(
        and(
          movementsPolicy.scopes.review(scope, { areaPath: r.areaPath }),
          status,
          q.areaId ? eq(r.areaId, q.areaId) : undefined,
          q.kind ? sql`${r.kind} = ${q.kind}` : undefined,
        ),
      )
      .orderBy(
        sql`(${r.status} = 'pending' and ${r.reviewDueAt} < now()) desc`,
        desc(r.isLate),
        asc(r.createdAt),
      )
      .limit(200)
  },

  /**
   * Per residential group in the scope: reports sent since `weekStart`, waiting for the officer,
   * of those past the review time, and sent back for a correction. Areas without reports count 0.
   */
  async countsByArea(db: DbOrTx, scope: Scope, weekStart: Date, now: Date) {
    return queryRows<{
      id: string
      name: string
      reportsThisWeek: number
      pending: number
      overdue: number
      awaitingCorrection: number
    }>(
      db,
      sql`select a.id, a.name,
            count(r.id) filter (where r.created_at >= ${weekStart})::int as "reportsThisWeek",
            count(r.id) filter (where r.status = 'pending')::int as pending,
            count(r.id) filter (where r.status = 'pending' and r.review_due_at < ${now})::int as overdue,
            count(r.id) filter (where r.status = 'needs_correction')::int as "awaitingCorrection"
          from units a
          left join residence_reports r on r.area_id = a.id
            and (r.created_at >= ${weekStart} or r.status in ('pending', 'needs_correction'))
          where a.level = 'residential_group'
            and ${movementsPolicy.scopes.readCounts(scope, { areaPath: sql`a.path` })}
          group by a.id, a.name
          order by overdue desc, pending desc, a.name
          limit 2000`,
    )
  },

  /**
   * What looks wrong: the same ID staying at another address at the same time (another report
   * or the register), or a tenant whom nobody but the landlord has reported.
   */
  async conflicts(db: DbOrTx, ids: string[]): Promise<Conflict[]> {
    if (!ids.length) return []
    const idList = sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )
    return queryRows<Conflict & Record<string, unknown>>(
      db,
      sql`select r.id as "reportId", 'same_id_elsewhere' as code, o.area_path as "otherAreaPath", o.address as "otherAddress"
            from residence_reports r join residence_reports o on o.id_number = r.id_number and o.id <> r.id
           where r.id in (${idList}) and r.kind in ('stay', 'tenant_in', 'guest') and o.kind in ('stay', 'tenant_in', 'guest')
             and o.status in ('pending', 'confirmed') and (o.area_id <> r.area_id or lower(o.address) <> lower(r.address))
             and o.from_date <= coalesce(r.to_date, r.from_date) and coalesce(o.to_date, o.from_date) >= r.from_date
          union all
          select r.id, 'same_id_elsewhere', p.area_path, h.address
            from residence_reports r join register_people p on p.id_number = r.id_number and p.ended_on is null
            join register_households h on h.id = p.household_id
           where r.id in (${idList}) and r.status <> 'confirmed' and r.kind in ('stay', 'tenant_in', 'guest')
             and p.residence <> 'permanent' and (h.area_id <> r.area_id or lower(h.address) <> lower(r.address))
             and coalesce(p.from_date, r.from_date) <= coalesce(r.to_date, r.from_date)
             and coalesce(p.until_date, r.from_date) >= r.from_date
          union all
          select r.id, 'tenant_not_self_reported', r.area_path, r.address
            from residence_reports r
           where r.id in (${idList}) and r.kind = 'tenant_in'
             and not exists (select 1 from residence_reports s where s.id_number = r.id_number and s.reporter_id <> r.reporter_id)`,
    )
  },
}
