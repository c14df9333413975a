import { alertKindValues, type TAlertKind } from '@common/schemas/alerts'
import type { TSmsSent, TSmsSettings } from '@common/schemas/sms'
import { parseVietnamesePhone } from '@common/text/phone'
import type { SmsSendRow, SmsSettingsRow, smsRepository } from './sms.repository'

/** "0912•••678": enough for the officer to recognise the number, not enough to copy it. */
export function presentMaskedPhone(phone: string): string {
  const parsed = parseVietnamesePhone(phone)
  const n = parsed.ok ? parsed.national : phone
  return `${n.slice(0, 4)}${'•'.repeat(Math.max(0, n.length - 7))}${n.slice(-3)}`
}

/** What an answer cost: never the number it went to. */
export const presentSent = (row: SmsSendRow): TSmsSent => ({
  encoding: row.encoding,
  text: row.text,
  segments: row.segments,
  costVnd: row.costVnd,
  status: row.status,
})

const isAlertKind = (k: string): k is TAlertKind => (alertKindValues as readonly string[]).includes(k)

export type MonthSends = Awaited<ReturnType<typeof smsRepository.monthSends>>

export function presentSettings(
  unitId: string,
  row: SmsSettingsRow | undefined,
  priceVnd: number,
  spentVnd: number,
  sends: MonthSends,
): TSmsSettings {
  return {
    unitId,
    monthlyBudgetVnd: row?.monthlyBudgetVnd ?? 0,
    alertKinds: (row?.alertKinds ?? []).filter(isAlertKind),
    priceVndPerSegment: priceVnd,
    spentThisMonthVnd: spentVnd,
    sendsThisMonth: sends.count,
    recentSends: sends.latest.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    updatedAt: row?.updatedAt.toISOString() ?? null,
  }
}
