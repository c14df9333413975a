import { alertScopeKindValues, type TAlertScope, type TAlertScopeKind } from '@common/schemas/alerts'
import { and, eq, isNotNull, ne } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { alertUnitSettings, unitNeighbours, units } from '../../db/schema/index'
import { invalidField } from '../../lib/errors'
import { alertsRepository, type UnitRef } from './alerts.repository'
import { geometriesTouch } from './neighbours.geometry'

const rank = (kind: TAlertScopeKind) => alertScopeKindValues.indexOf(kind)
const ancestorIds = (path: string) => path.split('/').filter(Boolean)

export interface ResolvedScope {
  kind: TAlertScopeKind
  targets: UnitRef[]
  /** Where approval is decided: the issuing unit, or the province for a province-wide alert. */
  approvalUnit: UnitRef
  needsApproval: boolean
}

export const neighbourRepository = {
  async configured(db: DbOrTx, unitId: string): Promise<UnitRef[]> {
    const rows = await db
      .select({ id: unitNeighbours.neighbourId })
      .from(unitNeighbours)
      .where(eq(unitNeighbours.unitId, unitId))
    return alertsRepository.unitsByIds(
      db,
      rows.map((r) => r.id),
    )
  },

  /** Siblings whose boundary touches the unit's; empty when the unit has no polygon. */
  async derived(db: DbOrTx, unit: UnitRef): Promise<UnitRef[]> {
    const [self] = await db.select({ geometry: units.geometry }).from(units).where(eq(units.id, unit.id))
    if (!self?.geometry || !unit.parentId) return []
    const siblings = await db
      .select({
        id: units.id,
        name: units.name,
        slug: units.slug,
        path: units.path,
        level: units.level,
        parentId: units.parentId,
        geometry: units.geometry,
      })
      .from(units)
      .where(and(eq(units.parentId, unit.parentId), ne(units.id, unit.id), isNotNull(units.geometry)))
    return siblings
      .filter((s) => geometriesTouch(self.geometry, s.geometry))
      .map(({ geometry: _g, ...ref }) => ref)
  },

  /**
   * Replaces a unit's configured neighbours. Only the unit's own side is written: one ward's
   * commander never changes what another ward has configured (security review F2).
   */
  async replace(tx: DbOrTx, unitId: string, neighbourIds: string[], by: string): Promise<void> {
    await tx.delete(unitNeighbours).where(eq(unitNeighbours.unitId, unitId))
    const ids = [...new Set(neighbourIds)].filter((id) => id !== unitId)
    if (ids.length === 0) return
    await tx
      .insert(unitNeighbours)
      .values(ids.map((n) => ({ unitId, neighbourId: n, createdBy: by })))
      .onConflictDoNothing()
  },

  /** Configured neighbours win; without any, neighbours come from the boundaries. */
  async effective(db: DbOrTx, unit: UnitRef): Promise<UnitRef[]> {
    const configured = await neighbourRepository.configured(db, unit.id)
    return configured.length > 0 ? configured : neighbourRepository.derived(db, unit)
  },
}

export const alertSettingsRepository = {
  async approvalAbove(db: DbOrTx, unitId: string): Promise<TAlertScopeKind> {
    const [row] = await db
      .select({ v: alertUnitSettings.approvalAbove })
      .from(alertUnitSettings)
      .where(eq(alertUnitSettings.unitId, unitId))
    return row?.v ?? 'unit'
  },

  async put(db: DbOrTx, unitId: string, approvalAbove: TAlertScopeKind, by: string): Promise<void> {
    await db
      .insert(alertUnitSettings)
      .values({ unitId, approvalAbove, updatedBy: by })
      .onConflictDoUpdate({
        target: alertUnitSettings.unitId,
        set: { approvalAbove, updatedBy: by, updatedAt: new Date() },
      })
  },
}

/**
 * Turns the composer's scope into the units addressed, and says whether it needs approval:
 * anything wider than the issuing unit's threshold (default: beyond the unit itself) does.
 */
export async function resolveScope(db: DbOrTx, issuing: UnitRef, scope: TAlertScope): Promise<ResolvedScope> {
  const threshold = await alertSettingsRepository.approvalAbove(db, issuing.id)
  // A province-wide alert always waits for a commander of the province, whatever a unit's threshold (F2).
  const needsApproval = scope.kind === 'province' || rank(scope.kind) > rank(threshold)
  const base = { kind: scope.kind, needsApproval, approvalUnit: issuing }
  switch (scope.kind) {
    case 'areas': {
      const ids = scope.unitIds ?? []
      if (ids.length === 0) throw invalidField('scope.unitIds', 'too_small', 'alerts.scope_areas_required')
      const found = await alertsRepository.unitsByIds(db, ids)
      if (
        found.length !== new Set(ids).size ||
        found.some((u) => !u.path.startsWith(issuing.path) || u.id === issuing.id)
      )
        throw invalidField('scope.unitIds', 'outside_unit', 'alerts.scope_outside_unit')
      return { ...base, targets: found }
    }
    case 'unit':
      return { ...base, targets: [issuing] }
    case 'unit_neighbours': {
      const neighbours = await neighbourRepository.effective(db, issuing)
      if (neighbours.length === 0)
        throw invalidField('scope.kind', 'no_neighbours', 'alerts.scope_no_neighbours')
      return { ...base, targets: [issuing, ...neighbours] }
    }
    case 'province': {
      const [provinceId] = ancestorIds(issuing.path)
      const province = provinceId ? await alertsRepository.unit(db, provinceId) : undefined
      if (!province) throw invalidField('scope.kind', 'no_province', 'alerts.scope_no_province')
      return { ...base, targets: [province], approvalUnit: province }
    }
  }
}

/** The unit an actor issues from: the one asked for, else their first officer or commander grant. */
export async function issuingUnitFor(
  db: DbOrTx,
  grants: { role: string; unitId: string | null }[],
  requested?: string,
): Promise<UnitRef> {
  const fallback = grants.find((g) => (g.role === 'officer' || g.role === 'commander') && g.unitId)?.unitId
  const id = requested ?? fallback
  const unit = id ? await alertsRepository.unit(db, id) : undefined
  if (!unit) throw invalidField('issuingUnitId', 'unknown', 'alerts.issuing_unit_unknown')
  return unit
}
