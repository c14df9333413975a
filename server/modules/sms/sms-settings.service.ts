import type { TSmsSettings, TUpdateSmsSettings } from '@common/schemas/sms'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { forbidden, notFound } from '../../lib/errors'
import { type AuditContext, audit } from '../audit/audit.service'
import { smsPolicy } from './sms.policy'
import { presentSettings } from './sms.presenter'
import { type SmsSettingsRow, smsRepository } from './sms.repository'

/** How many of the month's SMS the budget page lists. */
const RECENT_SENDS = 50

async function managedUnit(db: Db, actor: Actor | null, unitId: string) {
  const unit = await smsRepository.unit(db, unitId)
  if (!unit) throw notFound()
  if (!smsPolicy.can(actor, 'manageSettings', unit)) throw actor ? forbidden() : notFound()
  return unit
}

async function present(db: Db, unitId: string, row: SmsSettingsRow | undefined, priceVnd: number) {
  const spent = await smsRepository.spentThisMonth(db, unitId)
  return presentSettings(
    unitId,
    row,
    priceVnd,
    spent,
    await smsRepository.monthSends(db, unitId, RECENT_SENDS),
  )
}

/** A unit's monthly SMS budget and the alert kinds it also sends by SMS: its commanders set them. */
export const smsSettingsService = {
  async get(db: Db, actor: Actor | null, unitId: string, priceVnd: number): Promise<TSmsSettings> {
    await managedUnit(db, actor, unitId)
    const row = await smsRepository.settings(db, unitId)
    return present(db, unitId, row, priceVnd)
  },

  async update(
    db: Db,
    ctx: AuditContext,
    actor: Actor,
    unitId: string,
    input: TUpdateSmsSettings,
    priceVnd: number,
  ): Promise<TSmsSettings> {
    const unit = await managedUnit(db, actor, unitId)
    const row = await db.transaction(async (tx) => {
      const saved = await smsRepository.upsertSettings(tx, {
        unitId,
        monthlyBudgetVnd: input.monthlyBudgetVnd,
        alertKinds: [...new Set(input.alertKinds)],
        updatedBy: actor.userId,
      })
      await audit.record(tx, ctx, {
        action: 'sms.settings_update',
        entityType: 'unit',
        entityId: unitId,
        unitId,
        unitPath: unit.path,
        details: { monthlyBudgetVnd: saved.monthlyBudgetVnd, alertKinds: saved.alertKinds },
      })
      return saved
    })
    return present(db, unitId, row, priceVnd)
  },
}
