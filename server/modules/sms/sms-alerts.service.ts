import { smsSegments, withoutDiacritics } from '@common/text/sms-text'
import { AppError } from '../../lib/errors'
import { smsRepository } from './sms.repository'
import { type SmsDeps, smsLedger } from './sms-ledger.service'

export const SMS_ALERT_QUEUE = 'sms.alert'
const BATCH = 200
/** An alert by SMS stays within two GSM-7 segments (306 characters) to every resident. */
const MAX_SEGMENTS = 2

/** What the alerts module hands over when an alert is first published (queued in its transaction). */
export interface SmsAlertJob {
  alertId: string
  issuingUnitId: string
  kind: string
  headline: string
  body: string
  url: string
}

/**
 * The SMS form of an alert: without diacritics (one GSM-7 segment holds 160 characters instead of
 * 70 — the unit pays per segment, per resident), the headline, as much of the text as fits in two
 * segments, and the link to the alert.
 */
export function alertSmsText(job: Pick<SmsAlertJob, 'headline' | 'body' | 'url'>): string {
  const head = withoutDiacritics(job.headline)
  const tail = ` ${job.url}`
  let body = withoutDiacritics(job.body).replace(/\s+/g, ' ').trim()
  const fits = (b: string) => smsSegments(`${head}\n${b}${tail}`).segments <= MAX_SEGMENTS
  if (!fits(body)) {
    while (body && !fits(`${body}...`)) body = body.slice(0, Math.max(0, body.length - 10))
    body = body ? `${body.trimEnd()}...` : ''
  }
  return `${head}\n${body}${tail}`
}

/**
 * Alerts by SMS to the residents who asked for them, when the issuing unit (or the nearest unit
 * above it with SMS settings) chose the alert's kind. One ledger row per resident per alert (unique),
 * so a retried job continues where it stopped and never sends twice; each SMS counts against the
 * budget, and sending stops when the budget is spent.
 */
export const smsAlerts = {
  registerJobs(deps: SmsDeps) {
    deps.jobs.register<SmsAlertJob>(SMS_ALERT_QUEUE, (job) =>
      smsAlerts.fanOut(deps, job).then(() => undefined),
    )
  },

  /** Returns how many SMS were queued by this run. */
  async fanOut(deps: SmsDeps, job: SmsAlertJob): Promise<number> {
    const unit = await smsRepository.unit(deps.db, job.issuingUnitId)
    const payer = unit ? await smsRepository.payingUnit(deps.db, unit.path) : undefined
    if (!payer?.alertKinds.includes(job.kind)) return 0
    const text = alertSmsText(job)
    let queued = 0
    for (;;) {
      const batch = await smsRepository.alertRecipientsWithSms(deps.db, job.alertId, BATCH)
      if (batch.length === 0) return queued
      const { n, spent } = await deps.db.transaction(async (tx) => {
        let n = 0
        for (const r of batch) {
          let charge: Awaited<ReturnType<typeof smsLedger.reserve>>
          try {
            charge = await smsLedger.reserve(tx, deps, payer, text)
          } catch (err) {
            // The budget is spent: the SMS queued so far go out, the rest do not.
            if (err instanceof AppError && err.messageKey === 'sms.budget_exceeded') return { n, spent: true }
            throw err
          }
          const row = await smsLedger.record(tx, deps, charge, {
            purpose: 'alert',
            userId: r.user_id,
            phone: r.phone,
            alertId: job.alertId,
          })
          if (row) n += 1
        }
        return { n, spent: false }
      })
      queued += n
      if (spent) {
        deps.log?.warn(
          { alertId: job.alertId, unitId: payer.unitId, queued },
          'SMS alerts stopped: budget spent',
        )
        return queued
      }
    }
  },
}
