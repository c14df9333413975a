import { and, asc, desc, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import {
  alertAnswers,
  alertMessages,
  alertRecipients,
  alertResources,
  alerts,
  alertTargets,
  units,
  users,
} from '../../db/schema/index'
import { pathAbove, pathUnder, staffOverUnitSql } from '../../db/unit-path-sql'
import type { Scope } from '../../lib/scope'
import { alertsPolicy } from './alerts.policy'

export type AlertRow = typeof alerts.$inferSelect
export type AlertInsert = typeof alerts.$inferInsert
export type AlertMessageRow = typeof alertMessages.$inferSelect
export type AlertResourceRow = typeof alertResources.$inferSelect
export type UnitRef = {
  id: string
  name: string
  slug: string
  path: string
  level: string
  parentId: string | null
}

/** An alert with what presenters and policies need. */
export interface LoadedAlert {
  alert: AlertRow
  issuingUnit: UnitRef
  targets: UnitRef[]
  photos: AlertResourceRow[]
  author: { id: string; displayName: string }
  /** The caller's recipient row, when they are one. */
  mine: { readAt: Date | null; answeredAt: Date | null } | null
}

const unitRef = {
  id: units.id,
  name: units.name,
  slug: units.slug,
  path: units.path,
  level: units.level,
  parentId: units.parentId,
}

/**
 * The alert is "live" for residents: active and not past its expiry at query time. "Now" is the app's
 * clock, the one the presenter's isLive() reads, so a list and an alert's page never disagree when
 * the database server's clock drifts (and a test can move the clock without waiting).
 */
export const isLiveSql = (now = new Date()) =>
  sql`(${alerts.state} = 'active' and (${alerts.expires} is null or ${alerts.expires} > ${now.toISOString()}::timestamptz))`

export const alertsRepository = {
  async insert(tx: DbOrTx, values: AlertInsert): Promise<AlertRow> {
    const [row] = await tx.insert(alerts).values(values).returning()
    return row!
  },

  async update(tx: DbOrTx, id: string, values: Partial<AlertInsert>): Promise<AlertRow> {
    const [row] = await tx
      .update(alerts)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(alerts.id, id))
      .returning()
    return row!
  },

  async get(db: DbOrTx, id: string): Promise<AlertRow | undefined> {
    const [row] = await db.select().from(alerts).where(eq(alerts.id, id))
    return row
  },

  /** Locks the alert row for a life-cycle change (two officers updating at once take turns). */
  async getForUpdate(tx: DbOrTx, id: string): Promise<AlertRow | undefined> {
    const [row] = await tx.select().from(alerts).where(eq(alerts.id, id)).for('update')
    return row
  },

  async unit(db: DbOrTx, id: string): Promise<UnitRef | undefined> {
    const [row] = await db.select(unitRef).from(units).where(eq(units.id, id))
    return row
  },

  async unitBySlug(db: DbOrTx, slug: string): Promise<UnitRef | undefined> {
    const [row] = await db.select(unitRef).from(units).where(eq(units.slug, slug))
    return row
  },

  /** Residential groups (areas) under a unit, by name. */
  async areasOf(db: DbOrTx, unitPath: string): Promise<UnitRef[]> {
    return db
      .select(unitRef)
      .from(units)
      .where(and(pathUnder(units.path, unitPath), eq(units.level, 'residential_group')))
      .orderBy(asc(units.name))
  },

  /** The units the scope issues alerts for: those of its officer and commander grants. */
  async issuingUnitsOf(db: DbOrTx, scope: Scope): Promise<UnitRef[]> {
    const paths = [...new Set([...scope.officerUnitPaths, ...scope.commandPaths])]
    if (paths.length === 0) return []
    return db.select(unitRef).from(units).where(inArray(units.path, paths)).orderBy(units.path)
  },

  async unitsByIds(db: DbOrTx, ids: string[]): Promise<UnitRef[]> {
    if (ids.length === 0) return []
    return db.select(unitRef).from(units).where(inArray(units.id, ids))
  },

  async setTargets(tx: DbOrTx, alertId: string, targets: UnitRef[]): Promise<void> {
    await tx.delete(alertTargets).where(eq(alertTargets.alertId, alertId))
    if (targets.length === 0) return
    await tx.insert(alertTargets).values(targets.map((u) => ({ alertId, unitId: u.id, unitPath: u.path })))
  },

  async targets(db: DbOrTx, alertId: string): Promise<UnitRef[]> {
    return db
      .select(unitRef)
      .from(alertTargets)
      .innerJoin(units, eq(units.id, alertTargets.unitId))
      .where(eq(alertTargets.alertId, alertId))
      .orderBy(asc(units.name))
  },

  async load(db: DbOrTx, id: string, userId: string | null): Promise<LoadedAlert | undefined> {
    const alert = await alertsRepository.get(db, id)
    if (!alert) return undefined
    const [issuingUnit, targets, photos, authorRows, mineRows] = await Promise.all([
      alertsRepository.unit(db, alert.issuingUnitId),
      alertsRepository.targets(db, id),
      db
        .select()
        .from(alertResources)
        .where(eq(alertResources.alertId, id))
        .orderBy(asc(alertResources.createdAt)),
      db
        .select({ id: users.id, displayName: users.displayName })
        .from(users)
        .where(eq(users.id, alert.authorId)),
      userId
        ? db
            .select({ readAt: alertRecipients.readAt, answeredAt: alertRecipients.answeredAt })
            .from(alertRecipients)
            .where(and(eq(alertRecipients.alertId, id), eq(alertRecipients.userId, userId)))
        : Promise.resolve([]),
    ])
    return {
      alert,
      issuingUnit: issuingUnit!,
      targets,
      photos,
      author: authorRows[0]!,
      mine: mineRows[0] ?? null,
    }
  },

  async insertMessage(tx: DbOrTx, values: typeof alertMessages.$inferInsert): Promise<AlertMessageRow> {
    const [row] = await tx.insert(alertMessages).values(values).returning()
    return row!
  },

  async messages(db: DbOrTx, alertId: string): Promise<AlertMessageRow[]> {
    return db
      .select()
      .from(alertMessages)
      .where(eq(alertMessages.alertId, alertId))
      .orderBy(asc(alertMessages.version))
  },

  async insertPhoto(tx: DbOrTx, values: typeof alertResources.$inferInsert): Promise<AlertResourceRow> {
    const [row] = await tx.insert(alertResources).values(values).returning()
    return row!
  },

  async photo(db: DbOrTx, alertId: string, photoId: string): Promise<AlertResourceRow | undefined> {
    const [row] = await db
      .select()
      .from(alertResources)
      .where(and(eq(alertResources.alertId, alertId), eq(alertResources.id, photoId)))
    return row
  },

  /** Alerts published whose recipient rows are still being written (usually none, for a second). */
  async awaitingRecipients(db: DbOrTx): Promise<AlertRow[]> {
    return db
      .select()
      .from(alerts)
      .where(and(isNotNull(alerts.publishedAt), isNull(alerts.recipientsReadyAt)))
  },

  /** Alerts a resident received: live ones first, then the recently ended (so "reunited" is seen). */
  async listForRecipient(db: DbOrTx, userId: string, limit: number): Promise<string[]> {
    const rows = await db
      .select({ id: alerts.id })
      .from(alertRecipients)
      .innerJoin(alerts, eq(alerts.id, alertRecipients.alertId))
      .where(
        and(
          eq(alertRecipients.userId, userId),
          inArray(alerts.state, ['active', 'closed', 'cancelled']),
          sql`coalesce(${alerts.closedAt}, now()) > now() - interval '14 days'`,
        ),
      )
      .orderBy(desc(isLiveSql()), desc(alerts.publishedAt))
      .limit(limit)
    return rows.map((r) => r.id)
  },

  /** Public live alerts, optionally only those issued in or addressed to a unit's subtree or its ancestors. */
  async listPublic(
    db: DbOrTx,
    opts: { unitPath?: string; limit: number; includeEnded?: boolean },
  ): Promise<string[]> {
    const relevance = opts.unitPath ? relevantTo(opts.unitPath) : sql`true`
    const state = opts.includeEnded ? sql`${alerts.state} in ('active', 'closed', 'cancelled')` : isLiveSql()
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select ${alerts.id} as id from ${alerts}
          where ${alerts.capScope} = 'Public' and ${state} and ${relevance}
          order by coalesce(${alerts.updatedAt}, ${alerts.publishedAt}) desc limit ${opts.limit}`,
    )
    return rows.map((r) => r.id)
  },

  /** Staff list: alerts issued in the given subtrees, newest first; pending approval on top. */
  /** Alerts of the scope's units (`alertsPolicy` rule `inMyUnits`), pending approval first. */
  async listForStaff(db: DbOrTx, scope: Scope, opts: { state?: string; limit: number }): Promise<string[]> {
    const rows = await db
      .select({ id: alerts.id })
      .from(alerts)
      .where(
        and(
          alertsPolicy.scopes.inMyUnits(scope, { issuingUnitPath: alerts.issuingUnitPath }),
          opts.state ? sql`${alerts.state} = ${opts.state}` : sql`true`,
        ),
      )
      .orderBy(desc(sql`${alerts.state} = 'pending_approval'`), desc(alerts.updatedAt))
      .limit(opts.limit)
    return rows.map((r) => r.id)
  },

  /** Alerts waiting for approval by a commander of this scope (the SQL twin of the 'approve' rule). */
  async countAwaitingApproval(db: DbOrTx, scope: Scope): Promise<number> {
    // A province-wide alert is approved at its province (its one target), others at the issuing unit.
    const approvalPath = sql`case when ${alerts.scopeKind} = 'province'
      then coalesce((select t.unit_path from ${alertTargets} t where t.alert_id = ${alerts.id} limit 1),
                    ${alerts.issuingUnitPath})
      else ${alerts.issuingUnitPath} end`
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(alerts)
      .where(alertsPolicy.scopes.approve(scope, { state: alerts.state, approvalPath }))
    return row?.n ?? 0
  },

  /** An alert's answers with their authors and the path of the author's area; all, or those `of` staff over it. */
  async answers(db: DbOrTx, alertId: string, of: Scope | null) {
    const areas = alias(units, 'author_area')
    return db
      .select({
        id: alertAnswers.id,
        body: alertAnswers.body,
        createdAt: alertAnswers.createdAt,
        tipId: alertAnswers.tipId,
        authorId: users.id,
        authorName: users.displayName,
        authorPhone: users.phone,
        authorAreaPath: areas.path,
      })
      .from(alertAnswers)
      .innerJoin(users, eq(users.id, alertAnswers.authorId))
      .leftJoin(areas, eq(areas.id, users.areaId))
      .where(and(eq(alertAnswers.alertId, alertId), of ? staffOverUnitSql(of, areas.path) : undefined))
      .orderBy(desc(alertAnswers.createdAt))
  },

  async insertAnswer(tx: DbOrTx, values: typeof alertAnswers.$inferInsert) {
    const [row] = await tx.insert(alertAnswers).values(values).returning()
    return row!
  },

  async setAnswerTip(tx: DbOrTx, answerId: string, tipId: string) {
    await tx.update(alertAnswers).set({ tipId }).where(eq(alertAnswers.id, answerId))
  },
}

/** Issued in the unit's subtree, or addressed to a unit in it or above it (a province-wide alert reaches a ward). */
function relevantTo(unitPath: string): SQL {
  return sql`(${pathUnder(alerts.issuingUnitPath, unitPath)} or exists (
    select 1 from ${alertTargets} t where t.alert_id = ${alerts.id}
      and (${pathUnder(sql`t.unit_path`, unitPath)} or ${pathAbove(sql`t.unit_path`, unitPath)})))`
}
