import type { TScamFeed, TScamNumberPage } from '@common/schemas/scam-numbers'
import { formatVietnamesePhone } from '@common/text/phone'
import type { DbOrTx } from '../../db/client'
import { notFound } from '../../lib/errors'
import { presentNumberPage } from './scam-numbers.presenter'
import { scamNumbersRepository as repo } from './scam-numbers.repository'
import { normalisePhone } from './scam-numbers.service'

const iso = (d: Date | string) => new Date(d).toISOString()

/** The web page of a number (the same path the SPA serves). */
export const scamNumberPagePath = (phone: string) => `/so-lua-dao/${phone.replace(/^\+84/, '0')}`

/** A verified number's public page: counts per week and province. Unverified numbers do not exist here. */
export async function getScamNumberPage(
  db: DbOrTx,
  phoneRaw: string,
  now = new Date(),
): Promise<TScamNumberPage> {
  const phone = normalisePhone(phoneRaw)
  const number = await repo.findNumber(db, phone)
  if (number?.status !== 'verified') throw notFound('scam.number_not_found')
  const [counts, alert] = await Promise.all([
    repo.counts(db, number.id, now),
    repo.latestAlert(db, number.id),
  ])
  // Only a warning residents can already read (live) is linked from the public page.
  const live = alert && alert.state === 'active' ? { id: alert.alert_id, headline: alert.headline } : null
  return presentNumberPage(number, counts, live)
}

/** Every verified number for other apps: the number, dates, counts and claims; nobody who reported. */
export async function getScamFeed(db: DbOrTx, publicUrl: string, now = new Date()): Promise<TScamFeed> {
  const rows = await repo.feed(db, now)
  const base = publicUrl.replace(/\/$/, '')
  return {
    generatedAt: now.toISOString(),
    licence: 'CC BY 4.0',
    items: rows.map((r) => ({
      phone: r.phone,
      display: formatVietnamesePhone(r.phone),
      verifiedAt: iso(r.verified_at),
      firstReportedAt: iso(r.first_reported_at),
      lastReportedAt: iso(r.last_reported_at),
      reporters: r.reporters,
      reportersLast7Days: r.reporters_7d,
      claims: r.claims as TScamFeed['items'][number]['claims'],
      pageUrl: `${base}${scamNumberPagePath(r.phone)}`,
    })),
  }
}

export const scamFeedCsvColumns = [
  'phone',
  'verified_at',
  'first_reported_at',
  'last_reported_at',
  'reporters',
  'reporters_last_7_days',
  'claims',
  'page_url',
] as const

/**
 * The feed as CSV (RFC 4180, UTF-8). Every cell comes from a closed set — +84 digits, ISO dates,
 * counts, claim codes, our own URL — so no cell can start a spreadsheet formula.
 */
export function scamFeedCsv(feed: TScamFeed): string {
  const lines = [scamFeedCsvColumns.join(',')]
  for (const i of feed.items)
    lines.push(
      [
        i.phone,
        i.verifiedAt,
        i.firstReportedAt,
        i.lastReportedAt,
        i.reporters,
        i.reportersLast7Days,
        `"${i.claims.join(';')}"`,
        i.pageUrl,
      ].join(','),
    )
  return `${lines.join('\r\n')}\r\n`
}
