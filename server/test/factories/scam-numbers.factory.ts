import { randomUUID } from 'node:crypto'
import type { DbOrTx } from '../../db/client'
import { type ScamReportRow, scamNumbersRepository } from '../../modules/scam-numbers/scam-numbers.repository'
import { buildArea, type UnitRow } from './organisation.factory'
import { nextSeq } from './sequence'
import { buildResident, type UserRow } from './user.factory'

/** A unique, valid mobile number (+8470…, a MobiFone prefix no test resident uses) for a scam caller. */
export function fakeScamPhone(): string {
  const n = (process.pid % 1000) * 10_000 + (nextSeq() % 10_000)
  return `+8470${String(n).padStart(7, '0').slice(-7)}`
}

/**
 * A resident's report of a scam number; builds the reporter (in `area`) and the number when missing.
 * `status: 'verified'` also marks the number verified, as an officer's verification does.
 */
export async function buildScamReport(
  db: DbOrTx,
  input: {
    phone?: string
    reporter?: UserRow
    area?: UnitRow
    status?: ScamReportRow['status']
    claimedAs?: ScamReportRow['claimedAs']
    createdAt?: Date
    verifiedBy?: UserRow
  } = {},
): Promise<ScamReportRow & { phone: string }> {
  const area = input.area ?? (await buildArea(db))
  const reporter = input.reporter ?? (await buildResident(db, { area }))
  const areaRow = (await scamNumbersRepository.area(db, reporter.areaId ?? area.id))!
  const phone = input.phone ?? fakeScamPhone()
  const number = await scamNumbersRepository.upsertNumber(db, phone)
  const status = input.status ?? 'pending'
  const report = await scamNumbersRepository.insertReport(db, {
    numberId: number.id,
    reporterId: reporter.id,
    areaId: areaRow.id,
    areaPath: areaRow.path,
    provinceId: areaRow.path.split('/').filter(Boolean)[0]!,
    claimedAs: input.claimedAs ?? 'police',
    calledAt: new Date(Date.now() - 3_600_000),
    amountVnd: 50_000_000,
    note: 'Xưng là công an phường, bảo tôi chuyển tiền vào tài khoản an toàn',
    status,
    clientKey: `f-${randomUUID()}`,
    ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    ...(status !== 'pending' && input.verifiedBy
      ? { reviewedBy: input.verifiedBy.id, reviewedAt: new Date() }
      : {}),
  })
  if (status === 'verified' && input.verifiedBy)
    await scamNumbersRepository.markVerified(db, number.id, input.verifiedBy.id)
  return { ...report, phone }
}
