import { randomUUID } from 'node:crypto'
import type { DbOrTx } from '../../db/client'
import { residenceReports } from '../../db/schema/index'
import { registerService } from '../../modules/movements/register.service'
import { buildArea, type UnitRow } from './organisation.factory'
import { nextSeq } from './sequence'
import { buildResident, type UserRow } from './user.factory'

type ReportRow = typeof residenceReports.$inferSelect

/** A 12-digit citizen ID number that no other factory call returns. */
export const citizenIdNumber = () =>
  `0010${String(Date.now() % 1e4).padStart(4, '0')}${String(nextSeq()).padStart(4, '0')}`

/** A stay notification (pending) at an address of the area, sent by `reporter` (built when missing). */
export async function buildResidenceReport(
  db: DbOrTx,
  input: Partial<typeof residenceReports.$inferInsert> & { area?: UnitRow; reporter?: UserRow } = {},
): Promise<ReportRow> {
  const { area: givenArea, reporter: givenReporter, ...rest } = input
  const area = givenArea ?? (await buildArea(db))
  const reporter = givenReporter ?? (await buildResident(db, { area }))
  const [row] = await db
    .insert(residenceReports)
    .values({
      kind: 'stay',
      reporterId: reporter.id,
      reporterCapacity: 'household',
      areaId: area.id,
      areaPath: area.path,
      address: `Số ${nextSeq()} ngõ 5 phố Lò Đúc`,
      fullName: 'Trần Văn Khách',
      idKind: 'citizen_id',
      idNumber: citizenIdNumber(),
      nationality: 'VN',
      relation: 'sibling',
      fromDate: '2026-12-01',
      toDate: '2026-12-10',
      reviewDueAt: new Date(Date.now() + 24 * 3600_000),
      clientKey: `factory-${randomUUID()}`,
      ...rest,
    })
    .returning()
  return row!
}

/** A person on an area's register (a permanent resident unless told otherwise), with its history. */
export async function buildRegisterPerson(
  db: DbOrTx,
  input: {
    area: UnitRow
    actor: UserRow
    address?: string
    fullName?: string
    idNumber?: string
    residence?: 'permanent' | 'temporary' | 'stay'
    fromDate?: string | null
    untilDate?: string | null
  },
) {
  return registerService.addEntry(
    db,
    {
      area: input.area,
      address: input.address ?? `Số ${nextSeq()} phố Huế`,
      person: {
        fullName: input.fullName ?? 'Nguyễn Văn Thường',
        idKind: 'citizen_id',
        idNumber: input.idNumber ?? citizenIdNumber(),
        nationality: 'VN',
        isForeign: false,
      },
      residence: input.residence ?? 'permanent',
      fromDate: input.fromDate ?? null,
      untilDate: input.untilDate ?? null,
    },
    input.actor.id,
  )
}
