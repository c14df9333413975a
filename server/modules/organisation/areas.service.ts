import type { TCreateArea, TUpdateArea } from '@common/schemas/organisation'
import { slugify } from '@common/text/fold'
import type { Db } from '../../db/client'
import { conflict, invalidField } from '../../lib/errors'
import { type AuditContext, audit } from '../audit/audit.service'
import { AREA_LEVEL, COMMUNE_LEVEL, hierarchyRepository } from './hierarchy.repository'
import { type UnitRow, unitsRepository } from './units.repository'

async function checkKind(db: Db, kind: string) {
  const level = (await hierarchyRepository.list(db)).find((l) => l.key === AREA_LEVEL)
  if (level?.kinds.length && !level.kinds.some((k) => k.key === kind)) {
    throw invalidField('kind', 'unknown_kind', 'organisation.not_an_area')
  }
}

/** Creates a residential group (area) in a commune-level unit; its slug defaults to "<unit slug>-<name>". */
export async function createArea(
  db: Db,
  ctx: AuditContext,
  parent: UnitRow,
  input: TCreateArea,
): Promise<UnitRow> {
  if (parent.level !== COMMUNE_LEVEL)
    throw invalidField('parent', 'not_commune', 'organisation.parent_not_commune')
  const kind = input.kind ?? AREA_LEVEL
  await checkKind(db, kind)
  const slug = input.slug ?? `${parent.slug}-${slugify(input.name)}`.slice(0, 80).replace(/-+$/, '')
  return db.transaction(async (tx) => {
    if (await unitsRepository.findBySlug(tx, slug)) throw conflict('organisation.slug_taken')
    const id = crypto.randomUUID()
    const area = await unitsRepository.insert(tx, {
      id,
      path: `${parent.path}${id}/`,
      parentId: parent.id,
      level: AREA_LEVEL,
      kind,
      name: input.name,
      slug,
      address: input.address ?? null,
      householdCount: input.householdCount ?? null,
      residentCount: input.residentCount ?? null,
    })
    await audit.record(tx, ctx, {
      action: 'area.create',
      entityType: 'unit',
      entityId: area.id,
      unitId: area.id,
      unitPath: area.path,
      details: { name: area.name, parentId: parent.id },
    })
    return area
  })
}

/** Updates an area's name, kind, address or counts; the audit log names the fields that changed. */
export async function updateArea(
  db: Db,
  ctx: AuditContext,
  area: UnitRow,
  input: TUpdateArea,
): Promise<UnitRow> {
  if (input.kind) await checkKind(db, input.kind)
  const changed = (Object.keys(input) as (keyof TUpdateArea)[]).filter(
    (k) => input[k] !== undefined && (input[k] ?? null) !== (area[k] ?? null),
  )
  if (!changed.length) return area
  return db.transaction(async (tx) => {
    const row = await unitsRepository.update(
      tx,
      area.id,
      Object.fromEntries(changed.map((k) => [k, input[k] ?? null])),
    )
    await audit.record(tx, ctx, {
      action: 'area.update',
      entityType: 'unit',
      entityId: area.id,
      unitId: area.id,
      unitPath: area.path,
      details: { fields: changed },
    })
    return row
  })
}
