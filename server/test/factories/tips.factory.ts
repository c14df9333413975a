import { createHash, randomUUID } from 'node:crypto'
import type { DbOrTx } from '../../db/client'
import { cases, evidenceFiles, helpRequests, helpRequestTargets, tips } from '../../db/schema/index'
import { buildArea, type UnitRow } from './organisation.factory'

type TipRow = typeof tips.$inferSelect
type CaseRow = typeof cases.$inferSelect

/** A tip in an area (built when none is given), routed to nobody unless `assigneeId` is set. */
export async function buildTip(
  db: DbOrTx,
  input: Partial<typeof tips.$inferInsert> & { area?: UnitRow } = {},
): Promise<TipRow> {
  const { area: givenArea, ...rest } = input
  const area = givenArea ?? (await buildArea(db))
  const [row] = await db
    .insert(tips)
    .values({
      category: 'suspicious_vehicle',
      description: 'Xe máy biển tỉnh khác để lâu ở ngõ vắng',
      locationSource: 'area',
      areaId: area.id,
      areaPath: area.path,
      unitId: area.parentId ?? area.id,
      idempotencyKeyHash: createHash('sha256').update(randomUUID()).digest('hex'),
      firstResponseDueAt: new Date(Date.now() + 30 * 60_000),
      ...rest,
    })
    .returning()
  return row!
}

/** A case in an area (built when none is given), opened by `createdById`. */
export async function buildCase(
  db: DbOrTx,
  input: Partial<typeof cases.$inferInsert> & { area?: UnitRow; createdById: string },
): Promise<CaseRow> {
  const { area: givenArea, ...rest } = input
  const area = givenArea ?? (await buildArea(db))
  const [row] = await db
    .insert(cases)
    .values({
      title: 'Xe máy nghi bị trộm',
      category: 'theft',
      areaId: area.id,
      areaPath: area.path,
      ...rest,
    })
    .returning()
  return row!
}

/** A request for help on a case, addressed to an area's residents (and optionally with a photo file id). */
export async function buildHelpRequest(
  db: DbOrTx,
  input: { caseRow: CaseRow; area: UnitRow; createdById: string; photoFileId?: string },
) {
  const [row] = await db
    .insert(helpRequests)
    .values({
      caseId: input.caseRow.id,
      description: 'Nhờ bà con kiểm tra camera từ 21:00 đến 23:00',
      createdById: input.createdById,
      photoFileId: input.photoFileId ?? null,
    })
    .returning()
  await db
    .insert(helpRequestTargets)
    .values({ helpRequestId: row!.id, areaId: input.area.id, areaPath: input.area.path })
  return row!
}

/** An evidence record for bytes already in storage (the caller put them there). */
export async function buildEvidence(
  db: DbOrTx,
  input: Partial<typeof evidenceFiles.$inferInsert> & { storageKey: string; sha256: string; size: number },
) {
  const [row] = await db
    .insert(evidenceFiles)
    .values({ kind: 'photo', mime: 'image/jpeg', addedByRole: 'tipster', ...input })
    .returning()
  return row!
}
