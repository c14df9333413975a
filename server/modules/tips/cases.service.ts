import type { TCreateCaseRequest, TUpdateCaseRequest } from '@common/schemas/cases'
import { ZCreateCaseRequest } from '@common/schemas/cases'
import type { Config } from '../../config'
import type { Db, DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { conflict, invalidField, notFound } from '../../lib/errors'
import type { EventBus } from '../../realtime/event-bus'
import type { FileStorage } from '../../storage/file-storage'
import { loadForActor } from '../alerts/alerts.service'
import { type AuditContext, audit } from '../audit/audit.service'
import { conversationRepository } from '../messaging/conversation.repository'
import { messagingPolicy } from '../messaging/messaging.policy'
import { unitStaffService } from '../organisation/unit-staff.service'
import { getArea } from './area-resolver'
import { type CaseRow, casesRepository } from './cases.repository'
import type { StoredUpload } from './evidence-upload'
import { publishCaseChanged, publishTipChanged } from './tips.events'
import { casesPolicy, tipsPolicy } from './tips.policy'
import { type TipRow, tipsRepository } from './tips.repository'
import { uploadQuota } from './upload-quota'

export interface CasesDeps {
  db: Db
  storage: FileStorage
  bus: EventBus
  config: Config
}

/** Called when a case resolves or closes: requests for help close with the thank-you message. */
export type OnCaseFinished = (c: CaseRow, actor: Actor, closingMessage: string | null) => Promise<void>

const finished = (s: CaseRow['status']) => s === 'resolved' || s === 'closed'

/** Loads tips to put on a case: each must be workable by the actor and not on another case yet. */
async function loadTipsForCase(db: Db, actor: Actor, tipIds: string[], caseId?: string): Promise<TipRow[]> {
  const found = await tipsRepository.getMany(db, [...new Set(tipIds)])
  if (found.length !== new Set(tipIds).size) throw invalidField('tipIds', 'invalid', 'cases.tip_invalid')
  for (const tip of found) {
    if (!tipsPolicy.can(actor, 'work', tip)) throw invalidField('tipIds', 'invalid', 'cases.tip_invalid')
    if (tip.caseId && tip.caseId !== caseId)
      throw conflict('cases.tip_already_linked', { reference: tip.id.slice(0, 8) })
  }
  return found
}

/** Links tips to a case, with one timeline entry per tip, inside the caller's transaction. */
async function attachTips(
  tx: DbOrTx,
  caseId: string,
  actorId: string,
  tips: { id: string }[],
): Promise<void> {
  if (!tips.length) return
  await casesRepository.linkTips(
    tx,
    caseId,
    tips.map((t) => t.id),
  )
  for (const t of tips)
    await casesRepository.addEvent(tx, { caseId, actorId, type: 'tip_linked', data: { tipId: t.id } })
}

/** A case links only what its officer may read: another ward's conversation stays unknown (F17). */
async function mayReadLinkTarget(
  db: Db,
  actor: Actor,
  link: { kind: 'alert' | 'conversation'; targetId: string },
) {
  if (link.kind === 'conversation') {
    const loaded = await conversationRepository.load(db, link.targetId, actor.userId)
    return !!loaded && messagingPolicy.can(actor, 'read', loaded.resource)
  }
  return loadForActor(db, actor, link.targetId).then(
    () => true,
    () => false,
  )
}

export const casesService = {
  /** Opens a case, from tips (duplicates merge into it; their files become its evidence) or directly in an area. */
  async create(deps: CasesDeps, actor: Actor, ctx: AuditContext, raw: TCreateCaseRequest): Promise<CaseRow> {
    const input = ZCreateCaseRequest.parse(raw)
    const linked = input.tipIds.length ? await loadTipsForCase(deps.db, actor, input.tipIds) : []
    const first = linked[0]
    const area = await getArea(deps.db, input.areaId ?? first!.areaId)
    if (!area) throw invalidField('areaId', 'invalid', 'tips.area_invalid')
    casesPolicy.authorize(actor, 'create', area)
    const located = linked.find((t) => t.lat !== null)
    const row = await deps.db.transaction(async (tx) => {
      const c = await casesRepository.insert(tx, {
        title: input.title,
        description: input.description,
        category: input.category ?? first?.category ?? 'other',
        priority: input.priority,
        assigneeId: actor.userId,
        areaId: area.id,
        areaPath: area.path,
        lat: input.lat ?? located?.lat ?? null,
        lng: input.lng ?? located?.lng ?? null,
        addressText: input.addressText ?? linked.find((t) => t.addressText)?.addressText ?? null,
        createdById: actor.userId,
      })
      await casesRepository.addEvent(tx, {
        caseId: c.id,
        actorId: actor.userId,
        type: 'created',
        data: { title: c.title },
      })
      await attachTips(tx, c.id, actor.userId, linked)
      await audit.record(tx, ctx, {
        action: 'case.create',
        entityType: 'case',
        entityId: c.id,
        unitId: area.id,
        unitPath: area.path,
      })
      return c
    })
    await publishCaseChanged(deps.bus, row)
    for (const t of linked) await publishTipChanged(deps.bus, { ...t, status: 'linked' })
    return row
  },

  /** Merges more tips (duplicates of the same event) into the case. */
  async linkTips(
    deps: CasesDeps,
    actor: Actor,
    ctx: AuditContext,
    c: CaseRow,
    tipIds: string[],
  ): Promise<CaseRow> {
    casesPolicy.authorize(actor, 'work', c)
    const linked = (await loadTipsForCase(deps.db, actor, tipIds, c.id)).filter((t) => t.caseId !== c.id)
    if (!linked.length) return c
    const row = await deps.db.transaction(async (tx) => {
      await attachTips(tx, c.id, actor.userId, linked)
      await audit.record(tx, ctx, {
        action: 'case.merge_tips',
        entityType: 'case',
        entityId: c.id,
        unitPath: c.areaPath,
        details: { count: linked.length },
      })
      return casesRepository.update(tx, c.id, {})
    })
    await publishCaseChanged(deps.bus, row)
    for (const t of linked) await publishTipChanged(deps.bus, { ...t, status: 'linked' })
    return row
  },

  /**
   * Changes status, outcome, priority or assignee; each change is one event on the timeline. A case
   * resolves or closes only with an outcome; then its tips close and its requests for help say thank you.
   */
  async update(
    deps: CasesDeps,
    actor: Actor,
    ctx: AuditContext,
    c: CaseRow,
    patch: TUpdateCaseRequest,
    onFinished: OnCaseFinished,
  ): Promise<CaseRow> {
    casesPolicy.authorize(actor, 'work', c)
    const status = patch.status ?? c.status
    const outcome = patch.outcome ?? c.outcome
    if (finished(status) && !outcome) throw invalidField('outcome', 'required', 'cases.outcome_required')
    if (patch.assigneeId && !(await unitStaffService.isColleague(deps.db, patch.assigneeId, c.areaPath))) {
      throw invalidField('assigneeId', 'invalid', 'tips.assignee_invalid')
    }
    const becameFinished = finished(status) && !finished(c.status)
    const row = await deps.db.transaction(async (tx) => {
      const event = (type: string, data: Record<string, unknown>) =>
        casesRepository.addEvent(tx, { caseId: c.id, actorId: actor.userId, type, data })
      if (patch.status && patch.status !== c.status)
        await event('status_changed', { from: c.status, to: patch.status })
      if (patch.outcome && patch.outcome !== c.outcome)
        await event('outcome_set', { outcome: patch.outcome, note: patch.outcomeNote ?? null })
      if (patch.priority && patch.priority !== c.priority)
        await event('priority_changed', { from: c.priority, to: patch.priority })
      if (patch.assigneeId !== undefined && patch.assigneeId !== c.assigneeId) {
        const names = await casesRepository.userNames(
          tx,
          [patch.assigneeId, c.assigneeId].filter((x): x is string => !!x),
        )
        await event('assigned', { to: patch.assigneeId ? (names.get(patch.assigneeId) ?? null) : null })
      }
      if (becameFinished) await casesRepository.closeTips(tx, c.id)
      await audit.record(tx, ctx, {
        action: 'case.update',
        entityType: 'case',
        entityId: c.id,
        unitId: c.areaId,
        unitPath: c.areaPath,
        details: { fields: Object.keys(patch) },
      })
      return casesRepository.update(tx, c.id, {
        status,
        outcome,
        ...(patch.outcomeNote !== undefined ? { outcomeNote: patch.outcomeNote } : {}),
        ...(patch.priority ? { priority: patch.priority } : {}),
        ...(patch.assigneeId !== undefined ? { assigneeId: patch.assigneeId } : {}),
        ...(status === 'resolved' && c.status !== 'resolved' ? { resolvedAt: new Date() } : {}),
        ...(status === 'closed' && c.status !== 'closed' ? { closedAt: new Date() } : {}),
        ...(!finished(status) ? { resolvedAt: null, closedAt: null } : {}),
      })
    })
    if (becameFinished) await onFinished(row, actor, patch.closingMessage ?? null)
    await publishCaseChanged(deps.bus, row)
    return row
  },

  async addNote(deps: CasesDeps, actor: Actor, c: CaseRow, body: string): Promise<void> {
    casesPolicy.authorize(actor, 'work', c)
    await casesRepository.addEvent(deps.db, {
      caseId: c.id,
      actorId: actor.userId,
      type: 'note',
      data: { body },
    })
    await publishCaseChanged(deps.bus, c)
  },

  async addLink(
    deps: CasesDeps,
    actor: Actor,
    c: CaseRow,
    link: { kind: 'alert' | 'conversation'; targetId: string },
  ) {
    casesPolicy.authorize(actor, 'work', c)
    if (!(await mayReadLinkTarget(deps.db, actor, link)))
      throw invalidField('targetId', 'not_found', 'cases.link_target_unknown')
    await deps.db.transaction(async (tx) => {
      if (await casesRepository.addLink(tx, { caseId: c.id, ...link, createdById: actor.userId })) {
        await casesRepository.addEvent(tx, {
          caseId: c.id,
          actorId: actor.userId,
          type: 'link_added',
          data: link,
        })
      }
    })
    await publishCaseChanged(deps.bus, c)
  },

  /**
   * Staff add evidence to the case; with `redactsId`, the file is a redacted copy of an existing
   * piece of evidence, which stays exactly as it was.
   */
  async addEvidence(
    deps: CasesDeps,
    actor: Actor,
    c: CaseRow,
    upload: StoredUpload,
    opts: { note: string; redactsId?: string | undefined },
  ) {
    casesPolicy.authorize(actor, 'work', c)
    if (opts.redactsId) {
      const evidence = await casesRepository.evidence(deps.db, c.id)
      if (!evidence.some((e) => e.id === opts.redactsId))
        throw invalidField('redactsId', 'invalid', 'cases.evidence_invalid')
    }
    const row = await deps.db.transaction(async (tx) => {
      await uploadQuota.charge(tx, deps.config, { areaId: c.areaId, bytes: upload.size })
      const file = await casesRepository.insertEvidence(tx, {
        id: upload.id,
        caseId: c.id,
        redactsId: opts.redactsId ?? null,
        kind: upload.kind,
        mime: upload.mime,
        size: upload.size,
        sha256: upload.sha256,
        storageKey: upload.storageKey,
        thumbKey: upload.thumbKey,
        width: upload.width,
        height: upload.height,
        addedById: actor.userId,
        addedByRole: 'staff',
        note: opts.note,
      })
      await casesRepository.addEvent(tx, {
        caseId: c.id,
        actorId: actor.userId,
        type: opts.redactsId ? 'evidence_redacted' : 'evidence_added',
        data: { fileId: file.id, sha256: file.sha256, redactsId: opts.redactsId ?? null },
      })
      return file
    })
    await publishCaseChanged(deps.bus, c)
    return row
  },

  async getReadable(db: Db, actor: Actor, id: string): Promise<CaseRow> {
    const c = await casesRepository.get(db, id)
    if (!c) throw notFound('cases.not_found')
    casesPolicy.authorize(actor, 'read', c, { hide: true })
    return c
  },
}
