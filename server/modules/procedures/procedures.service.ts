import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { notFound } from '../../lib/errors'
import { type AuditContext, audit } from '../audit/audit.service'
import {
  changedFields,
  contentOf,
  findProcedure,
  findUnitNotes,
  insertVersion,
  type ProcedureContent,
  type ProcedureRow,
  procedureNames,
  saveProcedure,
  type UnitNotesRow,
  upsertUnitNotes,
} from './procedures.repository'
import type { TProcedureUpdate, TUnitNotesUpdate } from './procedures.schemas'
import { refreshSearchIndex } from './search/procedure-search.repository'

export async function findProcedureOr404(db: Db, id: string): Promise<ProcedureRow> {
  const row = await findProcedure(db, id)
  if (!row) throw notFound('procedures.not_found')
  return row
}

/** The procedures a page links to as "see also", in the order the catalogue gives them. */
export async function relatedProcedures(db: Db, row: ProcedureRow) {
  const names = await procedureNames(db, row.related)
  const order = new Map(row.related.map((id, i) => [id, i]))
  return names.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
}

/**
 * A staff edit: applies the given fields, and when anything changed records a new version
 * (full snapshot, changed fields, who) and an audit entry in the same transaction, and rebuilds
 * the search vocabulary. An edit that changes nothing makes no version.
 */
export async function updateProcedure(
  db: Db,
  ctx: AuditContext & { actor: Actor },
  id: string,
  patch: TProcedureUpdate,
): Promise<{ row: ProcedureRow; changed: string[] }> {
  return db.transaction(async (tx) => {
    const row = await findProcedure(tx, id)
    if (!row) throw notFound('procedures.not_found')
    const before = contentOf(row)
    const { note, ...fields } = patch
    const after: ProcedureContent = { ...before }
    for (const [k, v] of Object.entries(fields)) {
      if (v !== undefined) (after as unknown as Record<string, unknown>)[k] = v
    }
    const changed = changedFields(before, after)
    if (changed.length === 0) return { row, changed }
    const version = row.version + 1
    await saveProcedure(tx, after, version)
    await insertVersion(tx, {
      procedureId: id,
      version,
      snapshot: after as unknown as Record<string, unknown>,
      changedFields: changed,
      source: 'staff',
      changedBy: ctx.actor.userId,
      note: note ?? null,
    })
    await refreshSearchIndex(tx, [id])
    await audit.record(tx, ctx, {
      action: 'procedure.update',
      entityType: 'procedure',
      entityId: id,
      details: { fields: changed, version },
    })
    return { row: (await findProcedure(tx, id))!, changed }
  })
}

/** A unit's local notes for a procedure (opening hours, room, officer on duty), audited. */
export async function saveUnitNotes(
  db: Db,
  ctx: AuditContext & { actor: Actor },
  unit: { id: string; path: string },
  procedureId: string,
  body: TUnitNotesUpdate,
): Promise<UnitNotesRow> {
  return db.transaction(async (tx) => {
    if (!(await findProcedure(tx, procedureId))) throw notFound('procedures.not_found')
    const existing = await findUnitNotes(tx, unit.id, procedureId)
    const pick = <K extends keyof TUnitNotesUpdate>(k: K) =>
      body[k] !== undefined ? (body[k] ?? null) : (existing?.[k] ?? null)
    const saved = await upsertUnitNotes(tx, {
      unitId: unit.id,
      procedureId,
      openingHours: pick('openingHours'),
      room: pick('room'),
      officerOnDuty: pick('officerOnDuty'),
      note: pick('note'),
      updatedBy: ctx.actor.userId,
    })
    await audit.record(tx, ctx, {
      action: 'procedure_notes.update',
      entityType: 'procedure',
      entityId: procedureId,
      unitId: unit.id,
      unitPath: unit.path,
      details: { fields: Object.keys(body).filter((k) => body[k as keyof TUnitNotesUpdate] !== undefined) },
    })
    return saved
  })
}
