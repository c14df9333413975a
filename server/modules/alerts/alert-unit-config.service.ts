import { alertScopeKindValues, type TAlertScopeKind } from '@common/schemas/alerts'
import type { DbOrTx } from '../../db/client'
import { type Actor, isAdmin } from '../../lib/actor'
import { invalidField, notFound } from '../../lib/errors'
import { commandsPath } from '../../lib/scope'
import { type AuditContext, audit } from '../audit/audit.service'
import { alertSettingsRepository, neighbourRepository } from './alert-scope.service'
import { alertsPolicy } from './alerts.policy'
import { alertsRepository } from './alerts.repository'

const rank = (kind: TAlertScopeKind) => alertScopeKindValues.indexOf(kind)

/** The province (first unit of the path), which alone decides on province-wide alerts. */
export const provincePathOf = (path: string) => {
  const [first] = path.split('/').filter(Boolean)
  return first ? `/${first}/` : path
}

async function configurableUnit(db: DbOrTx, actor: Actor, unitId: string) {
  const unit = await alertsRepository.unit(db, unitId)
  if (!unit) throw notFound('alerts.unit_not_found')
  alertsPolicy.authorize(actor, 'configureUnit', unit, { hide: true })
  return unit
}

const recordUnitChange = (
  tx: DbOrTx,
  ctx: AuditContext,
  unit: { id: string; path: string },
  action: string,
  details: Record<string, unknown>,
) =>
  audit.record(tx, ctx, {
    action,
    entityType: 'unit',
    entityId: unit.id,
    unitId: unit.id,
    unitPath: unit.path,
    details,
  })

/** A unit's alert settings and neighbours, as its commanders configure them (security review F2). */
export const alertUnitConfigService = {
  /**
   * The widest scope a unit publishes without approval. It never goes above what the caller
   * commands: a ward's commander stops at the ward and its neighbours; only an administrator or
   * the province's commander may name the province (which still needs the province's approval).
   */
  async putSettings(
    db: DbOrTx,
    actor: Actor,
    ctx: AuditContext,
    unitId: string,
    approvalAbove: TAlertScopeKind,
  ) {
    const unit = await configurableUnit(db, actor, unitId)
    const mayProvince = isAdmin(actor) || commandsPath(actor, provincePathOf(unit.path))
    if (rank(approvalAbove) > rank(mayProvince ? 'province' : 'unit_neighbours'))
      throw invalidField('approvalAbove', 'above_command', 'alerts.threshold_above_command')
    await db.transaction(async (tx) => {
      await alertSettingsRepository.put(tx, unit.id, approvalAbove, actor.userId)
      await recordUnitChange(tx, ctx, unit, 'unit.alert_settings_update', { approvalAbove })
    })
    return { unitId: unit.id, approvalAbove }
  },

  /**
   * Replaces the unit's own list of neighbours: units of the same level under the same parent.
   * Only this unit's side is written; the other ward keeps its own setting.
   */
  async putNeighbours(db: DbOrTx, actor: Actor, ctx: AuditContext, unitId: string, neighbourIds: string[]) {
    const unit = await configurableUnit(db, actor, unitId)
    const others = await alertsRepository.unitsByIds(db, neighbourIds)
    if (
      others.length !== new Set(neighbourIds).size ||
      others.some((o) => o.level !== unit.level || o.parentId !== unit.parentId || o.id === unit.id)
    )
      throw invalidField('neighbourIds', 'invalid', 'alerts.neighbours_invalid')
    await db.transaction(async (tx) => {
      await neighbourRepository.replace(tx, unit.id, neighbourIds, actor.userId)
      await recordUnitChange(tx, ctx, unit, 'unit.neighbours_update', { count: others.length })
    })
    return { unitId: unit.id, configured: others.map((u) => ({ id: u.id, name: u.name })), derived: [] }
  },
}
