import type { TDashboardQuery, TRecordsQuery } from '@common/schemas/dashboard'
import { eq, inArray } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { units } from '../../db/schema/index'
import type { Actor } from '../../lib/actor'
import { invalidField, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { type AuditContext, audit } from '../audit/audit.service'
import { MAX_PERIOD_DAYS, type Period, periodDays, periodOf } from './dashboard.definitions'
import { dashboardPolicy } from './dashboard.policy'
import { presentDashboard } from './dashboard.presenter'
import { alertFigures, caseFigures, groupActivity, namesOf, reach } from './dashboard-activity.repository'
import { countInteractions, responseTimes, targetMinutes } from './dashboard-interactions.repository'
import { listMovements, listReached, movementCounts } from './dashboard-movements.repository'
import { listRecords } from './dashboard-records.repository'
import { REACH_ROLLUP, refreshedAt } from './dashboard-rollups.repository'

export type DashboardUnit = typeof units.$inferSelect

/** A valid period from the query, or a validation problem naming the field. */
export function periodFrom(q: Pick<TDashboardQuery, 'from' | 'to'>): Period {
  const p = periodOf(q.from, q.to)
  if (Number.isNaN(p.from.getTime())) throw invalidField('from', 'date_invalid', 'dashboard.date_invalid')
  if (Number.isNaN(p.to.getTime())) throw invalidField('to', 'date_invalid', 'dashboard.date_invalid')
  if (p.to <= p.from) throw invalidField('to', 'before_from', 'dashboard.period_reversed')
  if (periodDays(p) > MAX_PERIOD_DAYS) throw invalidField('to', 'too_long', 'dashboard.period_too_long')
  return p
}

export const dashboardService = {
  /** The units whose figures the actor may open: those they command (administrators: the provinces). */
  async viewableUnits(db: DbOrTx, actor: Actor): Promise<DashboardUnit[]> {
    const scope = scopeOf(actor)
    if (actor.kind !== 'staff') return []
    if (scope.isAdmin) return db.select().from(units).where(eq(units.level, 'province'))
    const paths = [...scope.commandPaths]
    return paths.length ? db.select().from(units).where(inArray(units.path, paths)).orderBy(units.path) : []
  },

  /** The unit asked for (or the actor's first), once the policy lets the actor see it; else 404. */
  async unitFor(
    db: DbOrTx,
    actor: Actor,
    unitId: string | undefined,
    action: 'view' | 'listRecords' = 'view',
  ): Promise<DashboardUnit> {
    const unit = unitId
      ? (await db.select().from(units).where(eq(units.id, unitId)))[0]
      : (await this.viewableUnits(db, actor))[0]
    if (!unit) throw notFound()
    dashboardPolicy.authorize(actor, action, unit, { hide: true })
    return unit
  },

  /**
   * The records behind one figure. The residents reached and the residence reports name people:
   * that read is written to the audit log in the same transaction, as any staff read of them.
   */
  async records(db: DbOrTx, ctx: AuditContext, unit: DashboardUnit, period: Period, q: TRecordsQuery) {
    const viewed = { id: unit.id, path: unit.path }
    if (q.figure !== 'households' && q.figure !== 'movements') {
      const target = await targetMinutes(db, viewed)
      return listRecords(db, viewed, period, q, { now: new Date(), target })
    }
    return db.transaction(async (tx) => {
      const rows = await (q.figure === 'households' ? listReached : listMovements)(tx, viewed, period, q)
      await audit.record(tx, ctx, {
        action: q.figure === 'households' ? 'resident.list' : 'residence_report.list',
        entityType: 'unit',
        entityId: q.childId ?? unit.id,
        unitId: unit.id,
        unitPath: unit.path,
        reason: `dashboard.${q.figure}`,
        details:
          q.figure === 'households'
            ? { count: rows.length, subjectUserIds: rows.map((r) => r.id) }
            : { count: rows.length, reportIds: rows.map((r) => r.id) },
      })
      return rows
    })
  },

  /**
   * Every figure of the dashboard and the monthly report for one unit and period; `lists` when the
   * viewer may open the records behind them (the figures then carry the query of those lists).
   */
  async figures(db: DbOrTx, unit: DashboardUnit, period: Period, opts: { now?: Date; lists?: boolean } = {}) {
    const now = opts.now ?? new Date()
    const viewed = { id: unit.id, path: unit.path }
    const target = await targetMinutes(db, viewed)
    const counts = await countInteractions(db, viewed, period)
    const times = await responseTimes(db, viewed, period, target, now)
    const reached = await reach(db, viewed, period)
    const reachAsOf = await refreshedAt(db, REACH_ROLLUP)
    const groups = await groupActivity(db, viewed, period)
    const cases = await caseFigures(db, viewed, period)
    const alerts = await alertFigures(db, viewed, period)
    const movements = await movementCounts(db, viewed, period)
    const unitIds = [
      ...reached.map((r) => r.key),
      ...counts.filter((r) => r.dim === 'child').map((r) => r.key),
      ...movements.filter((r) => r.dim === 'child').map((r) => r.key),
    ]
    const userIds = [...counts, ...times].filter((r) => r.dim === 'officer').map((r) => r.key)
    const names = await namesOf(
      db,
      [...new Set(unitIds.filter((x): x is string => !!x))],
      [...new Set(userIds.filter((x): x is string => !!x))],
    )
    const [child] = await db
      .select({ level: units.level })
      .from(units)
      .where(eq(units.parentId, unit.id))
      .limit(1)
    return presentDashboard({
      unit: { id: unit.id, name: unit.name, level: unit.level },
      period,
      now,
      targetMinutes: target,
      childLevel: child?.level ?? 'residential_group',
      counts,
      times,
      reach: reached,
      reachAsOf,
      groups,
      cases,
      alerts,
      movements,
      names,
      lists: opts.lists ?? false,
    })
  },
}
