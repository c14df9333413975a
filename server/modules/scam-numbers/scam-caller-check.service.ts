import { type Locale, translate } from '@common/i18n/messages'
import type { TScamCallerCheckLine } from '@common/schemas/scam-numbers'
import type { DbOrTx } from '../../db/client'
import { scamNumbersRepository } from './scam-numbers.repository'

const formatCount = (locale: Locale, n: number) =>
  new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US').format(n)

/**
 * The caller check's line for a verified scam number (S4 + issue 17.1): "Số này đã bị 37 người ở
 * Hà Nội báo là lừa đảo giả danh công an trong 7 ngày qua". Counts and a province only; a number
 * nobody verified yet says nothing (an unverified report is one person's word).
 */
export async function scamCallerCheckLine(
  db: DbOrTx,
  phone: string,
  locale: Locale,
  now = new Date(),
): Promise<TScamCallerCheckLine | null> {
  const number = await scamNumbersRepository.findNumber(db, phone)
  if (number?.status !== 'verified') return null
  const c = await scamNumbersRepository.counts(db, number.id, now, 1)
  const top = c.last7[0] ?? null
  const recent = c.last7.reduce((n, p) => n + p.count, 0)
  const text = top
    ? translate(locale, top.count === 1 ? 'scam.caller_check_week_one' : 'scam.caller_check_week', {
        count: formatCount(locale, top.count),
        province: top.province,
      })
    : translate(locale, 'scam.caller_check_total', { count: formatCount(locale, c.reporters) })
  return {
    verified: true,
    reportersLast7Days: recent,
    province: top?.province ?? null,
    reporters: c.reporters,
    text,
  }
}
