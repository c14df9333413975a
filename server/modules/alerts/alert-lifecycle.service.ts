import { type TAlertView, ZAlertUpdateRequest } from '@common/schemas/alerts'
import type { Actor } from '../../lib/actor'
import { AppError, conflict, notFound } from '../../lib/errors'
import { scopeOf, staffOverUnit } from '../../lib/scope'
import { type AuditContext, audit } from '../audit/audit.service'
import { alertRecipientsRepository } from './alert-recipients.repository'
import { publishVersion } from './alert-versions'
import { addressedGrantOf, alertsPolicy } from './alerts.policy'
import { presentAnswer } from './alerts.presenter'
import { type AlertRow, alertsRepository } from './alerts.repository'
import { type AlertsDeps, alertsService, loadForActor } from './alerts.service'
import { answerToTip } from './answer-sink'

/** What the receipt rule needs, without loading targets (a recipient's receipt never depends on them). */
const resourceStub = (a: AlertRow) => ({
  state: a.state,
  capScope: a.capScope,
  authorId: a.authorId,
  issuingUnitPath: a.issuingUnitPath,
  targetPaths: [] as string[],
  approvalPath: a.issuingUnitPath,
})

/** Staff watching an alert see its counters move; at most one stats event per alert per second. */
const statsTimers = new Map<string, NodeJS.Timeout>()
function scheduleStats(deps: AlertsDeps, alertId: string) {
  if (statsTimers.has(alertId)) return
  const timer = setTimeout(async () => {
    statsTimers.delete(alertId)
    const c = await alertRecipientsRepository.counters(deps.db, alertId).catch(() => undefined)
    if (c)
      await deps.delivery.publish({
        type: 'alert.stats',
        rooms: [`alert:${alertId}`],
        at: new Date().toISOString(),
        alertId,
        ...c,
      })
  }, 1000)
  timer.unref()
  statsTimers.set(alertId, timer)
}

export const alertLifecycleService = {
  /** msgType Update; with `close` it is the closing update ("reunited") and the alert ends. */
  async update(
    deps: AlertsDeps,
    actor: Actor,
    id: string,
    raw: unknown,
    ctx: AuditContext,
  ): Promise<TAlertView> {
    const input = ZAlertUpdateRequest.parse(raw)
    const { resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'manage', resource)
    const row = await deps.db.transaction(async (tx) => {
      const current = await alertsRepository.getForUpdate(tx, id)
      if (current?.state !== 'active') throw conflict('alerts.not_active')
      await alertsRepository.update(tx, id, {
        ...(input.headline !== undefined ? { headline: input.headline } : {}),
        ...(input.instruction !== undefined ? { instruction: input.instruction } : {}),
        ...(input.contact !== undefined ? { contact: input.contact } : {}),
        ...(input.severity !== undefined ? { severity: input.severity } : {}),
        ...(input.urgency !== undefined ? { urgency: input.urgency } : {}),
        ...(input.expires !== undefined ? { expires: input.expires ? new Date(input.expires) : null } : {}),
        ...(input.close
          ? {
              state: 'closed' as const,
              closedAt: new Date(),
              outcome: input.close.outcome,
              urgency: 'Past' as const,
            }
          : {}),
      })
      const updated = await publishVersion(
        tx,
        deps.config,
        id,
        'Update',
        input.note ?? input.close?.outcome ?? null,
        actor.userId,
      )
      await deps.delivery.enqueue(tx, updated, 'Update')
      await audit.record(tx, ctx, {
        action: input.close ? 'alert.close' : 'alert.update',
        entityType: 'alert',
        entityId: id,
        unitId: updated.issuingUnitId,
        unitPath: updated.issuingUnitPath,
        details: { version: updated.version },
      })
      return updated
    })
    await deps.delivery.announce(row, 'Update')
    return alertsService.view(deps, actor, id)
  },

  /** msgType Cancel: the alert was wrong or is void; residents are told so. */
  async cancel(
    deps: AlertsDeps,
    actor: Actor,
    id: string,
    note: string,
    ctx: AuditContext,
  ): Promise<TAlertView> {
    const { resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'manage', resource)
    const row = await deps.db.transaction(async (tx) => {
      const current = await alertsRepository.getForUpdate(tx, id)
      if (current?.state !== 'active') throw conflict('alerts.not_active')
      await alertsRepository.update(tx, id, { state: 'cancelled', closedAt: new Date() })
      const updated = await publishVersion(tx, deps.config, id, 'Cancel', note, actor.userId)
      await deps.delivery.enqueue(tx, updated, 'Cancel')
      await audit.record(tx, ctx, {
        action: 'alert.cancel',
        entityType: 'alert',
        entityId: id,
        unitId: updated.issuingUnitId,
        unitPath: updated.issuingUnitPath,
        reason: note,
      })
      return updated
    })
    await deps.delivery.announce(row, 'Cancel')
    return alertsService.view(deps, actor, id)
  },

  /** A resident's device confirms it has the alert (real time) or the resident opened it. */
  async receipt(deps: AlertsDeps, actor: Actor, id: string, state: 'delivered' | 'read') {
    // Thousands of devices confirm within a second: the alert's state is read from a cache of a
    // second, and being a recipient is told by the batched write finding the person's row.
    const alert = await deps.receipts.alert(id)
    if (!alert) throw notFound('alerts.not_found')
    // Checked as if a recipient first; the write itself changes only a recipient's row.
    if (!alertsPolicy.can(actor, 'receipt', { ...resourceStub(alert), isRecipient: true }))
      throw notFound('alerts.not_found')
    let found = await deps.receipts.add(id, actor.userId, state)
    // In the moments after publication the rows may not be written yet: the audience is asked, for
    // the receipts of those moments together (20,000 devices confirming one by one would hold every
    // database connection).
    if (!found && alert.publishedAt && !alert.recipientsReadyAt)
      found = await deps.receipts.add(id, actor.userId, state, await deps.receipts.targetPaths(id))
    if (!found) throw notFound('alerts.not_found')
    scheduleStats(deps, id)
  },

  /** A device's receipts in one request; those for alerts that are not the caller's are left out. */
  async receipts(
    deps: AlertsDeps,
    actor: Actor,
    receipts: { alertId: string; state: 'delivered' | 'read' }[],
  ): Promise<string[]> {
    const outcomes = await Promise.all(
      receipts.map((r) =>
        alertLifecycleService.receipt(deps, actor, r.alertId, r.state).then(
          () => r.alertId,
          (err) => {
            if (err instanceof AppError && err.kind === 'not_found') return null
            throw err
          },
        ),
      ),
    )
    return [...new Set(outcomes.filter((id): id is string => id !== null))]
  },

  /** Counts a share (the share button); a recipient's share is counted once. */
  async share(deps: AlertsDeps, actor: Actor | null, id: string): Promise<void> {
    const { resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'share', resource)
    if (actor && resource.isRecipient)
      await alertRecipientsRepository.mark(deps.db, id, actor.userId, 'shared')
    else await alertRecipientsRepository.bumpShared(deps.db, id)
    scheduleStats(deps, id)
  },

  /**
   * "I have seen this person": stored with the alert, handed to the tips module as a tip linked to
   * the alert, and announced to the issuing officer and the staff watching the alert.
   */
  async answer(deps: AlertsDeps, actor: Actor, id: string, body: string) {
    const { loaded, resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'answer', resource)
    const { answer, answers } = await deps.db.transaction(async (tx) => {
      const row = await alertsRepository.insertAnswer(tx, { alertId: id, authorId: actor.userId, body })
      if (resource.isRecipient) await alertRecipientsRepository.mark(tx, id, actor.userId, 'answered')
      const n = await alertRecipientsRepository.bumpAnswers(tx, id)
      return { answer: row, answers: n }
    })
    // The tip is written by the tips module after the answer is safe; the answer id keeps it single.
    let tipId: string | null = null
    try {
      tipId = await answerToTip(deps, {
        alert: loaded.alert,
        answerId: answer.id,
        authorId: actor.userId,
        authorAreaId: actor.areaId,
        body,
      })
      if (tipId) await alertsRepository.setAnswerTip(deps.db, answer.id, tipId)
    } catch (err) {
      deps.delivery.warn(err, 'alert answer not turned into a tip')
    }
    await deps.delivery.publish({
      type: 'alert.answered',
      rooms: [`user:${loaded.alert.authorId}`, `alert:${id}`, `unit:${loaded.alert.issuingUnitId}`],
      at: new Date().toISOString(),
      alertId: id,
      answerId: answer.id,
      answers,
    })
    scheduleStats(deps, id)
    return { id: answer.id, tipId, createdAt: answer.createdAt.toISOString() }
  },

  /**
   * Answers with the residents' names: a staff read of personal data, so audited under the
   * reader's own unit. The issuing unit's staff read them all; staff of an addressed unit only
   * their own residents'. A phone number goes only to staff over the resident's own area (F1).
   */
  async answers(deps: AlertsDeps, actor: Actor, id: string, ctx: AuditContext) {
    const { loaded, resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'readStaff', resource)
    const all = alertsPolicy.can(actor, 'readAllAnswers', resource)
    const rows = await alertsRepository.answers(deps.db, id, all ? null : scopeOf(actor))
    const via = all ? null : addressedGrantOf(actor, resource)
    if (rows.length > 0)
      await audit.record(deps.db, ctx, {
        action: 'alert_answers.read',
        entityType: 'alert',
        entityId: id,
        unitId: via ? via.unitId : loaded.alert.issuingUnitId,
        unitPath: via ? via.unitPath : loaded.alert.issuingUnitPath,
        details: { count: rows.length, subjectUserIds: [...new Set(rows.map((r) => r.authorId))] },
      })
    return rows.map((r) =>
      presentAnswer({
        ...r,
        authorPhone: r.authorAreaPath && staffOverUnit(actor, r.authorAreaPath) ? r.authorPhone : null,
      }),
    )
  },
}
