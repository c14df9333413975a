import {
  alertKindDefaults,
  type TAlertView,
  type TRecipientPreview,
  ZCreateAlertRequest,
  ZUpdateDraftRequest,
} from '@common/schemas/alerts'
import type { z } from 'zod'
import type { Config } from '../../config'
import type { Db } from '../../db/client'
import type { JobQueue } from '../../jobs/job-queue'
import type { Actor } from '../../lib/actor'
import { conflict, notFound } from '../../lib/errors'
import type { EventBus } from '../../realtime/event-bus'
import type { FileStorage } from '../../storage/file-storage'
import { type AuditContext, audit } from '../audit/audit.service'
import { channelAlertPostsRepository } from '../messaging/channels/channel-alert-posts.repository'
import type { AlertApprovalPush } from './alert-approval-push'
import type { AlertDelivery } from './alert-delivery'
import type { ReceiptBatcher } from './alert-receipts.batcher'
import { alertRecipientsRepository } from './alert-recipients.repository'
import { issuingUnitFor, type ResolvedScope, resolveScope } from './alert-scope.service'
import { publishVersion } from './alert-versions'
import { type AlertResource, alertsPolicy } from './alerts.policy'
import { presentAlert } from './alerts.presenter'
import { type AlertRow, alertsRepository, type LoadedAlert, type UnitRef } from './alerts.repository'

export interface AlertsDeps {
  db: Db
  bus: EventBus
  jobs: JobQueue
  config: Config
  storage: FileStorage
  delivery: AlertDelivery
  /** Web Push to the commanders when an alert waits for their approval. */
  approvalPush: AlertApprovalPush
  receipts: ReceiptBatcher
}

export function resourceOf(loaded: LoadedAlert, isRecipient: boolean): AlertResource {
  const a = loaded.alert
  const province = a.scopeKind === 'province' ? loaded.targets[0] : undefined
  return {
    state: a.state,
    capScope: a.capScope,
    authorId: a.authorId,
    issuingUnitPath: a.issuingUnitPath,
    targetPaths: loaded.targets.map((t) => t.path),
    approvalPath: province?.path ?? a.issuingUnitPath,
    isRecipient,
  }
}

/**
 * The rooms of every unit whose commanders may approve the alert: the approval unit and each unit
 * above it (the approve rule is `commandsPath(actor, approvalPath)`). Paths are "/<id>/<id>/".
 * Officers who may join these rooms may join the approval unit's room already (`listenUnit`).
 */
export const approverRooms = (a: Pick<AlertResource, 'approvalPath'>): `unit:${string}`[] =>
  a.approvalPath
    .split('/')
    .filter(Boolean)
    .map((unitId) => `unit:${unitId}` as const)

/**
 * Whether a person is among an alert's recipients. Their row says so; in the second after
 * publication, before the job has written everyone's rows, the audience is asked for them alone
 * (and their row written), so a device that got the event can confirm it and open the alert.
 */
export async function isRecipientOf(
  db: Db,
  alert: AlertRow,
  userId: string,
  hasRow: boolean,
  targetPaths?: string[],
): Promise<boolean> {
  if (hasRow) return true
  if (!alert.publishedAt || alert.recipientsReadyAt) return false
  const paths = targetPaths ?? (await alertsRepository.targets(db, alert.id)).map((t) => t.path)
  return (await alertRecipientsRepository.ensure(db, alert.id, [userId], paths)).has(userId)
}

/** Loads an alert for a caller and checks `read`; a caller who may not read it gets 404. */
export async function loadForActor(db: Db, actor: Actor | null, id: string) {
  const loaded = await alertsRepository.load(db, id, actor?.userId ?? null)
  if (!loaded) throw notFound('alerts.not_found')
  const recipient =
    !!actor &&
    (await isRecipientOf(
      db,
      loaded.alert,
      actor.userId,
      loaded.mine !== null,
      loaded.targets.map((t) => t.path),
    ))
  const resource = resourceOf(loaded, recipient)
  alertsPolicy.authorize(actor, 'read', resource, { hide: true })
  return { loaded, resource }
}

type CreateInput = z.output<typeof ZCreateAlertRequest>

/** CAP fields from the form, with the kind's defaults where the officer left them out. */
function contentValues(input: Partial<CreateInput>, current?: AlertRow) {
  const kind = input.kind ?? current?.kind ?? 'general_notice'
  const d = alertKindDefaults[kind]
  const date = (v: string | null | undefined, old: Date | null | undefined) =>
    v === undefined ? (old ?? null) : v === null ? null : new Date(v)
  return {
    kind,
    capStatus: input.capStatus ?? current?.capStatus ?? 'Actual',
    capScope: input.capScope ?? current?.capScope ?? 'Public',
    categories: input.categories ?? current?.categories ?? d.categories,
    event: input.event ?? current?.event ?? kind,
    urgency: input.urgency ?? current?.urgency ?? d.urgency,
    severity: input.severity ?? current?.severity ?? d.severity,
    certainty: input.certainty ?? current?.certainty ?? d.certainty,
    effective: date(input.effective, current?.effective),
    expires: date(input.expires, current?.expires),
    headline: input.headline ?? current?.headline ?? '',
    description: input.description ?? current?.description ?? '',
    instruction: input.instruction ?? current?.instruction ?? '',
    contact: input.contact ?? current?.contact ?? '',
    geometry: input.geometry === undefined ? (current?.geometry ?? null) : input.geometry,
  }
}

async function view(deps: AlertsDeps, actor: Actor | null, id: string): Promise<TAlertView> {
  const { loaded, resource } = await loadForActor(deps.db, actor, id)
  // Everyone who may read the alert sees its history; the presenter keeps the CAP details for staff.
  const [messages, channelPosts] = await Promise.all([
    alertsRepository.messages(deps.db, id),
    channelAlertPostsRepository.ofAlert(deps.db, id),
  ])
  return presentAlert(loaded, resource, actor, { messages, channelPosts })
}

/** The composer's issuing unit, checked against the caller's rights. */
async function issuingUnitChecked(deps: AlertsDeps, actor: Actor, requested?: string): Promise<UnitRef> {
  alertsPolicy.authorize(actor, 'listStaff')
  const unit = await issuingUnitFor(deps.db, actor.grants, requested)
  alertsPolicy.authorize(actor, 'create', unit)
  return unit
}

export const alertsService = {
  /** A resident's alerts; one published a moment ago counts before its recipient rows are written. */
  async listForResident(deps: AlertsDeps, userId: string, limit: number): Promise<string[]> {
    for (const alert of await alertsRepository.awaitingRecipients(deps.db))
      await isRecipientOf(deps.db, alert, userId, false)
    return alertsRepository.listForRecipient(deps.db, userId, limit)
  },

  view,

  async preview(
    deps: AlertsDeps,
    actor: Actor,
    input: { issuingUnitId?: string; scope: CreateInput['scope'] },
  ) {
    const unit = await issuingUnitChecked(deps, actor, input.issuingUnitId)
    const scope = await resolveScope(deps.db, unit, input.scope)
    const counts = await alertRecipientsRepository.preview(
      deps.db,
      scope.targets.map((t) => t.path),
    )
    return {
      ...counts,
      units: scope.targets.map((t) => ({ id: t.id, name: t.name, level: t.level })),
      needsApproval: scope.needsApproval,
    } satisfies TRecipientPreview
  },

  /** Saves a draft; nothing reaches anyone until it is submitted. */
  async createDraft(deps: AlertsDeps, actor: Actor, raw: unknown, ctx: AuditContext): Promise<TAlertView> {
    const input = ZCreateAlertRequest.parse(raw)
    const unit = await issuingUnitChecked(deps, actor, input.issuingUnitId)
    const scope = await resolveScope(deps.db, unit, input.scope)
    const id = await deps.db.transaction(async (tx) => {
      const row = await alertsRepository.insert(tx, {
        ...contentValues(input),
        scopeKind: scope.kind,
        issuingUnitId: unit.id,
        issuingUnitPath: unit.path,
        authorId: actor.userId,
        needsApproval: scope.needsApproval,
      })
      await alertsRepository.setTargets(tx, row.id, scope.targets)
      await audit.record(tx, ctx, {
        action: 'alert.create',
        entityType: 'alert',
        entityId: row.id,
        unitId: unit.id,
        unitPath: unit.path,
        details: { kind: row.kind, scope: scope.kind },
      })
      return row.id
    })
    return view(deps, actor, id)
  },

  async updateDraft(
    deps: AlertsDeps,
    actor: Actor,
    id: string,
    raw: unknown,
    ctx: AuditContext,
  ): Promise<TAlertView> {
    const input = ZUpdateDraftRequest.parse(raw)
    const { loaded, resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'editDraft', resource)
    const unit = input.issuingUnitId
      ? await issuingUnitChecked(deps, actor, input.issuingUnitId)
      : loaded.issuingUnit
    const scope: ResolvedScope | null =
      input.scope || input.issuingUnitId
        ? await resolveScope(
            deps.db,
            unit,
            input.scope ?? { kind: loaded.alert.scopeKind, unitIds: loaded.targets.map((t) => t.id) },
          )
        : null
    await deps.db.transaction(async (tx) => {
      await alertsRepository.update(tx, id, {
        ...contentValues(input, loaded.alert),
        ...(scope
          ? {
              scopeKind: scope.kind,
              needsApproval: scope.needsApproval,
              issuingUnitId: unit.id,
              issuingUnitPath: unit.path,
            }
          : {}),
        state: 'draft',
        rejectedReason: null,
      })
      if (scope) await alertsRepository.setTargets(tx, id, scope.targets)
      await audit.record(tx, ctx, {
        action: 'alert.update_draft',
        entityType: 'alert',
        entityId: id,
        unitId: unit.id,
        unitPath: unit.path,
      })
    })
    return view(deps, actor, id)
  },

  /**
   * Sends a draft on: straight out when its scope is within the unit's threshold (or the caller may
   * approve it), otherwise to the commanders for approval.
   */
  async submit(deps: AlertsDeps, actor: Actor, id: string, ctx: AuditContext): Promise<TAlertView> {
    const { loaded, resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'submit', resource)
    // The threshold may have changed since the draft was saved: decide with today's rule.
    const scope = await resolveScope(deps.db, loaded.issuingUnit, {
      kind: loaded.alert.scopeKind,
      unitIds: loaded.targets.map((t) => t.id),
    })
    const selfApproves = alertsPolicy.can(actor, 'approve', { ...resource, state: 'pending_approval' })
    if (scope.needsApproval && !selfApproves) {
      await deps.db.transaction(async (tx) => {
        await alertsRepository.update(tx, id, { state: 'pending_approval', needsApproval: true })
        await deps.approvalPush.enqueue(tx, loaded.alert, new Date())
        await audit.record(tx, ctx, {
          action: 'alert.submit',
          entityType: 'alert',
          entityId: id,
          unitId: loaded.alert.issuingUnitId,
          unitPath: loaded.alert.issuingUnitPath,
        })
      })
      await deps.delivery.publish({
        type: 'alert.approval',
        // The issuing unit's staff, and every unit whose commanders may approve (issue 19).
        rooms: [
          ...new Set([
            `unit:${loaded.alert.issuingUnitId}`,
            ...approverRooms(resource),
            `alert:${id}`,
            `user:${loaded.alert.authorId}`,
          ]),
        ],
        at: new Date().toISOString(),
        alertId: id,
        state: 'pending_approval',
      })
      return view(deps, actor, id)
    }
    await alertsService.goLive(deps, actor, id, scope.needsApproval ? actor.userId : null, ctx)
    return view(deps, actor, id)
  },

  async approve(deps: AlertsDeps, actor: Actor, id: string, ctx: AuditContext): Promise<TAlertView> {
    const { resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'approve', resource)
    await alertsService.goLive(deps, actor, id, actor.userId, ctx)
    // The other commanders who could have approved it: their badge drops without a reload.
    await deps.delivery.publish({
      type: 'alert.approval',
      rooms: [`alert:${id}`, ...approverRooms(resource)],
      at: new Date().toISOString(),
      alertId: id,
      state: 'active',
    })
    return view(deps, actor, id)
  },

  async reject(
    deps: AlertsDeps,
    actor: Actor,
    id: string,
    reason: string,
    ctx: AuditContext,
  ): Promise<TAlertView> {
    const { loaded, resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'reject', resource)
    await deps.db.transaction(async (tx) => {
      await alertsRepository.update(tx, id, { state: 'rejected', rejectedReason: reason })
      await audit.record(tx, ctx, {
        action: 'alert.reject',
        entityType: 'alert',
        entityId: id,
        unitId: loaded.alert.issuingUnitId,
        unitPath: loaded.alert.issuingUnitPath,
        reason,
      })
    })
    await deps.delivery.publish({
      type: 'alert.approval',
      rooms: [`alert:${id}`, `user:${loaded.alert.authorId}`, ...approverRooms(resource)],
      at: new Date().toISOString(),
      alertId: id,
      state: 'rejected',
    })
    return view(deps, actor, id)
  },

  /**
   * Publishes: the first CAP message (msgType Alert); the recipient rows (then push), group posts
   * and SMS are queued in the same transaction; the real-time event goes out right after the
   * commit, and the audience's size is stored after that.
   */
  async goLive(deps: AlertsDeps, actor: Actor, id: string, approvedBy: string | null, ctx: AuditContext) {
    const published = await deps.db.transaction(async (tx) => {
      const current = await alertsRepository.getForUpdate(tx, id)
      if (!current || !['draft', 'rejected', 'pending_approval'].includes(current.state))
        throw conflict('alerts.already_published')
      const targets = await alertsRepository.targets(tx, id)
      await alertsRepository.update(tx, id, {
        state: 'active',
        publishedAt: new Date(),
        approvedBy,
        approvedAt: approvedBy ? new Date() : null,
        rejectedReason: null,
      })
      const row = await publishVersion(tx, deps.config, id, 'Alert', null, actor.userId)
      await deps.delivery.enqueue(tx, row, 'Alert')
      await audit.record(tx, ctx, {
        action:
          approvedBy && approvedBy === actor.userId && current.authorId !== actor.userId
            ? 'alert.approve'
            : 'alert.publish',
        entityType: 'alert',
        entityId: id,
        unitId: row.issuingUnitId,
        unitPath: row.issuingUnitPath,
        details: { version: row.version },
      })
      return { row, paths: targets.map((t) => t.path) }
    })
    await deps.delivery.announce(published.row, 'Alert')
    // Counted once the event is out: at province scale (500,000 residents) the count took seconds,
    // and every resident waited for it. The recipients job stores the count of the rows it writes.
    published.row.targetedCount = await alertRecipientsRepository.storeAudienceCount(
      deps.db,
      id,
      published.paths,
    )
    return published.row
  },
}
