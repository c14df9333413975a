import { translate } from '@common/i18n/messages'
import type { TCreateScamReportRequest, ZCreateScamReportRequest } from '@common/schemas/scam-numbers'
import { formatVietnamesePhone, parseVietnamesePhone } from '@common/text/phone'
import type { z } from 'zod'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { conflict, invalidField, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import type { EventBus } from '../../realtime/event-bus'
import { type AlertsDeps, alertsService } from '../alerts/alerts.service'
import { type AuditContext, audit } from '../audit/audit.service'
import { isOfficialNumber } from '../organisation/directory.service'
import { isUniqueViolation } from '../tips/db-errors'
import { publishScamReportChanged } from './scam-numbers.events'
import { scamNumbersPolicy } from './scam-numbers.policy'
import { scamNumbersRepository as repo, type ScamReportRow } from './scam-numbers.repository'

export interface ScamNumbersDeps {
  db: Db
  bus: EventBus
  /** The alerts module's own deps: a warning goes through its service and rules, never around them. */
  alerts: AlertsDeps
}

/** A call can be reported up to 90 days back, and not from the future (5 minutes of clock skew). */
const REPORT_WINDOW_MS = 90 * 86_400_000
const CLOCK_SKEW_MS = 5 * 60_000

/** "0912 345 678", "+84 912.345.678" → +84912345678; anything else is a 400 on `phone`. */
export function normalisePhone(raw: string): string {
  const parsed = parseVietnamesePhone(raw)
  if (!parsed.ok) throw invalidField('phone', 'phone_invalid', 'directory.phone_invalid')
  return parsed.e164
}

/** The province of an area: the top of its path ("/province/ward/area/"). */
const provinceOf = (path: string) => path.split('/').filter(Boolean)[0]!

type Input = z.output<typeof ZCreateScamReportRequest>

export const scamNumbersService = {
  /**
   * A resident reports a number the caller check said is not official. The client key makes a
   * double tap (or a retry) return the first report; an official number is refused.
   */
  async submit(
    deps: ScamNumbersDeps,
    actor: Actor,
    input: Input | TCreateScamReportRequest,
    now = new Date(),
  ): Promise<{ report: ScamReportRow; phone: string; created: boolean }> {
    scamNumbersPolicy.authorize(actor, 'report')
    const phone = normalisePhone(input.phone)
    const existing = await repo.findByClientKey(deps.db, actor.userId, input.clientKey)
    if (existing) return { report: existing, phone, created: false }
    const calledAt = new Date(input.calledAt)
    if (
      calledAt.getTime() > now.getTime() + CLOCK_SKEW_MS ||
      calledAt.getTime() < now.getTime() - REPORT_WINDOW_MS
    )
      throw invalidField('calledAt', 'out_of_range', 'scam.called_at_range')
    if (await isOfficialNumber(deps.db, phone)) throw conflict('scam.official_number')
    const area = await repo.area(deps.db, actor.areaId!)
    if (!area) throw invalidField('phone', 'no_area', 'scam.area_required')
    try {
      const report = await deps.db.transaction(async (tx) => {
        const number = await repo.upsertNumber(tx, phone)
        return repo.insertReport(tx, {
          numberId: number.id,
          reporterId: actor.userId,
          areaId: area.id,
          areaPath: area.path,
          provinceId: provinceOf(area.path),
          claimedAs: input.claimedAs,
          calledAt,
          amountVnd: input.amountVnd ?? null,
          note: input.note?.trim() || null,
          clientKey: input.clientKey,
        })
      })
      await publishScamReportChanged(deps.bus, report)
      return { report, phone, created: true }
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      // A double tap that raced the first: the first one won.
      const first = await repo.findByClientKey(deps.db, actor.userId, input.clientKey)
      if (!first) throw err
      return { report: first, phone, created: false }
    }
  },

  /** Verify or reject a pending report; the first verified report makes the number public. */
  async review(
    deps: ScamNumbersDeps,
    actor: Actor,
    ctx: AuditContext,
    id: string,
    decision: { decision: 'verify' | 'reject'; note?: string | undefined },
  ) {
    const found = await repo.get(deps.db, id)
    if (!found || !scamNumbersPolicy.can(actor, 'read', found.report)) throw notFound('scam.report_not_found')
    scamNumbersPolicy.authorize(actor, 'review', found.report)
    const status = decision.decision === 'verify' ? 'verified' : 'rejected'
    const updated = await deps.db.transaction(async (tx) => {
      const row = await repo.review(tx, id, { status, by: actor.userId, note: decision.note?.trim() || null })
      if (!row) throw conflict('scam.already_reviewed')
      if (status === 'verified') await repo.markVerified(tx, row.numberId, actor.userId)
      await audit.record(tx, ctx, {
        action: `scam_report.${decision.decision}`,
        entityType: 'scam_report',
        entityId: id,
        unitId: row.areaId,
        unitPath: row.areaPath,
        details: { subjectUserIds: [row.reporterId] },
      })
      return row
    })
    await publishScamReportChanged(deps.bus, updated)
    return updated
  },

  /**
   * One click: a scam-warning alert about a verified number, issued by the caller's unit through
   * the alerts service (its approval rules apply), with the verified reports the caller may read
   * attached. A number whose warning is still a draft, waiting or live is not raised twice.
   */
  async raiseAlert(deps: ScamNumbersDeps, actor: Actor, ctx: AuditContext, phoneRaw: string) {
    const phone = normalisePhone(phoneRaw)
    const number = await repo.findNumber(deps.db, phone)
    if (!number) throw notFound('scam.number_not_found')
    const reportIds = await repo.verifiedReportIds(deps.db, scopeOf(actor), number.id)
    const first = reportIds[0] ? await repo.get(deps.db, reportIds[0]) : undefined
    if (!first) throw notFound('scam.number_not_found')
    scamNumbersPolicy.authorize(actor, 'raiseAlert', {
      ...first.report,
      numberVerified: number.status === 'verified',
    })
    // One warning per number: the check, the draft and its link are one transaction under the
    // number's lock, so a second officer at the same moment waits and finds the first one's warning.
    const raised = await deps.db.transaction(async (tx) => {
      await repo.lockForWarning(tx, number.id)
      const live = await repo.latestAlert(tx, number.id)
      if (live && ['draft', 'pending_approval', 'active'].includes(live.state)) return { live, draft: null }
      const c = await repo.counts(tx, number.id, new Date())
      const vars = {
        phone: formatVietnamesePhone(phone),
        count: c.reporters,
        claims: c.claims
          .map((x) => `${translate('vi', `scam.claim.${x.claimed_as}`)} (${x.count})`)
          .join(', '),
      }
      // Alerts reach residents in Vietnamese: the text is the catalogue's, the officer may edit it after.
      // The alerts service saves the draft in this transaction (it publishes nothing for a draft).
      const draft = await alertsService.createDraft(
        { ...deps.alerts, db: tx as Db },
        actor,
        {
          kind: 'scam_warning',
          headline: translate('vi', 'scam.alert.headline', vars),
          description: translate('vi', 'scam.alert.description', vars),
          instruction: translate('vi', 'scam.alert.instruction', vars),
          contact: translate('vi', 'scam.alert.contact', vars),
          scope: { kind: 'unit' },
        },
        ctx,
      )
      await repo.linkAlert(tx, { alertId: draft.id, numberId: number.id, reportIds, raisedBy: actor.userId })
      await audit.record(tx, ctx, {
        action: 'scam_number.raise_alert',
        entityType: 'scam_number',
        entityId: number.id,
        details: { alertId: draft.id, reports: reportIds.length },
      })
      return { live: null, draft }
    })
    const { live, draft } = raised
    if (!draft)
      return { alertId: live!.alert_id, state: live!.state, created: false, reportIds: live!.report_ids }
    const sent = await alertsService.submit(deps.alerts, actor, draft.id, ctx)
    return { alertId: draft.id, state: sent.state, created: true, reportIds }
  },
}
