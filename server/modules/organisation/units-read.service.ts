import type { TUnitListItem, TUnitOfficer } from '@common/schemas/organisation'
import type { DbOrTx } from '../../db/client'
import { type Actor, isAdmin } from '../../lib/actor'
import { notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { assignmentsRepository } from './assignments.repository'
import { AREA_LEVEL } from './hierarchy.repository'
import { presentUnitListItem } from './organisation.presenter'
import { treeOrder, type UnitRow, unitsRepository } from './units.repository'

/** Units with, for areas, the officer answering for them now. */
export async function listItems(db: DbOrTx, rows: UnitRow[]): Promise<TUnitListItem[]> {
  const officers = await assignmentsRepository.currentOfficers(
    db,
    rows.filter((u) => u.level === AREA_LEVEL).map((u) => u.id),
  )
  return rows.map((u) => presentUnitListItem(u, officers.get(u.id)))
}

/**
 * Where a staff member starts: every top unit for administrators, else the units they command or
 * are an officer of (the scope's, as `readUnit` decides one unit).
 */
export async function rootUnitsFor(db: DbOrTx, actor: Actor): Promise<UnitRow[]> {
  if (isAdmin(actor)) return (await unitsRepository.listSubtree(db, null)).filter((u) => !u.parentId)
  const scope = scopeOf(actor)
  const rows = await unitsRepository.findByPaths(db, [...scope.commandPaths, ...scope.officerUnitPaths])
  // A unit inside another listed one is reached from there.
  return rows.filter((u) => !rows.some((o) => o.id !== u.id && u.path.startsWith(o.path))).sort(treeOrder)
}

export async function findUnitOr404(db: DbOrTx, id: string, messageKey = 'organisation.unit_not_found') {
  const unit = await unitsRepository.findById(db, id)
  if (!unit) throw notFound(messageKey)
  return unit
}

/** Ancestors from the top down (breadcrumbs), read from the path. */
export async function ancestorsOf(db: DbOrTx, unit: UnitRow): Promise<UnitRow[]> {
  const ids = unit.path.split('/').filter((s) => s && s !== unit.id)
  const rows = await unitsRepository.findByIds(db, ids)
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is UnitRow => !!r)
}

/** Officers and commanders of a subtree, one entry per person (a commander's entry wins). */
export async function officersOf(db: DbOrTx, unit: UnitRow): Promise<TUnitOfficer[]> {
  const rows = await assignmentsRepository.officersOfSubtree(db, unit.path)
  const byId = new Map<string, TUnitOfficer>()
  for (const r of rows) {
    if (byId.has(r.id)) continue
    byId.set(r.id, {
      id: r.id,
      name: r.full_name ?? r.display_name,
      rank: r.rank,
      title: r.title,
      officialPhone: r.official_phone,
      photoUrl: r.photo_url,
      role: r.role,
      unit: { id: r.unit_id, name: r.unit_name },
      areas: r.areas ?? [],
    })
  }
  return [...byId.values()]
}
