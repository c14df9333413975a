import type { TTipFields } from '@common/schemas/tips'
import type { Config } from '../../config'
import type { Db, DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { AppError, conflict, invalidField, notFound } from '../../lib/errors'
import type { EventBus } from '../../realtime/event-bus'
import type { FileStorage } from '../../storage/file-storage'
import { type AuditContext, audit } from '../audit/audit.service'
import { unitStaffService } from '../organisation/unit-staff.service'
import { resolveArea } from './area-resolver'
import { isUniqueViolation } from './db-errors'
import { discardUploads, type StoredUpload } from './evidence-upload'
import { hashIdempotencyKey, hashTipCode, tipCodeFor } from './tip-code'
import { publishTipChanged } from './tips.events'
import { tipsPolicy } from './tips.policy'
import { type TipRow, tipsRepository } from './tips.repository'
import { uploadQuota } from './upload-quota'

export interface TipsDeps {
  db: Db
  storage: FileStorage
  bus: EventBus
  config: Config
}

export type TipSender = { kind: 'anonymous' } | { kind: 'resident'; userId: string; areaId: string | null }

export interface SubmitTipInput {
  fields: TTipFields
  uploads: StoredUpload[]
  idempotencyKey: string
  sender: TipSender
  channel: 'web' | 'open311'
  /** An anonymous sender's client address: their files count against the daily budgets (F9). */
  anonymousAddress?: string
}

export interface SubmitResult {
  tip: TipRow
  /** Anonymous tips: the code, shown once (and again only to a retry with the same key). */
  code?: string
  created: boolean
}

const evidenceRow = (u: StoredUpload, link: { tipId?: string; tipMessageId?: string }) => ({
  id: u.id,
  ...link,
  kind: u.kind,
  mime: u.mime,
  size: u.size,
  sha256: u.sha256,
  storageKey: u.storageKey,
  thumbKey: u.thumbKey,
  width: u.width,
  height: u.height,
  addedById: null,
  addedByRole: 'tipster' as const,
})

const totalBytes = (uploads: StoredUpload[]) => uploads.reduce((n, u) => n + u.size, 0)

const locationSourceOf = (f: TTipFields) =>
  f.locationSource ?? (f.lat !== undefined ? 'pin' : f.addressText ? 'address' : 'area')

/** A retry carries the same key: it must come from the same kind of sender to see the first tip. */
function replayOf(existing: TipRow, input: SubmitTipInput, secret: string): SubmitResult {
  const sameSender =
    input.sender.kind === 'anonymous' ? existing.isAnonymous : existing.submitterId === input.sender.userId
  if (!sameSender) throw conflict('tips.idempotency_key_reused')
  return {
    tip: existing,
    created: false,
    ...(existing.isAnonymous ? { code: tipCodeFor(secret, input.idempotencyKey) } : {}),
  }
}

export const tipsService = {
  /**
   * Records a tip with its files, routed to the officer responsible for its area now (else the unit's
   * duty queue) with a first-response target. The same idempotency key never makes a second tip.
   */
  async submit(deps: TipsDeps, input: SubmitTipInput): Promise<SubmitResult> {
    const { fields, sender } = input
    const keyHash = hashIdempotencyKey(input.idempotencyKey)
    try {
      const existing = await tipsRepository.findByIdempotencyKey(deps.db, keyHash)
      if (existing) {
        await discardUploads(deps.storage, input.uploads)
        return replayOf(existing, input, deps.config.SESSION_SECRET)
      }
      const area = await resolveArea(deps.db, {
        lat: fields.lat,
        lng: fields.lng,
        areaId: fields.areaId,
        areaSlug: fields.areaSlug,
        fallbackAreaId: sender.kind === 'resident' ? sender.areaId : null,
      })
      const assigneeId = await tipsRepository.responsibleOfficer(deps.db, area.id)
      const minutes = await tipsRepository.firstResponseTargetMinutes(deps.db, area.unitId)
      const anonymous = sender.kind === 'anonymous'
      const code = anonymous ? tipCodeFor(deps.config.SESSION_SECRET, input.idempotencyKey) : undefined
      const tip = await deps.db.transaction(async (tx) => {
        await uploadQuota.charge(tx, deps.config, {
          unitId: area.unitId,
          bytes: totalBytes(input.uploads),
          anonymousAddress: input.anonymousAddress,
        })
        const row = await tipsRepository.insert(tx, {
          category: fields.category,
          description: fields.description,
          lat: fields.lat ?? null,
          lng: fields.lng ?? null,
          addressText: fields.addressText ?? null,
          locationSource: locationSourceOf(fields),
          areaId: area.id,
          areaPath: area.path,
          unitId: area.unitId,
          seenAt: fields.seenAt ? new Date(fields.seenAt) : null,
          contactPreference: anonymous ? 'none' : (fields.contactPreference ?? 'in_app'),
          submitterId: anonymous ? null : sender.userId,
          isAnonymous: anonymous,
          codeHash: code ? hashTipCode(code) : null,
          idempotencyKeyHash: keyHash,
          channel: input.channel,
          assigneeId,
          firstResponseDueAt: new Date(Date.now() + minutes * 60_000),
        })
        await tipsRepository.insertEvidence(
          tx,
          input.uploads.map((u) => evidenceRow(u, { tipId: row.id })),
        )
        return row
      })
      await publishTipChanged(deps.bus, tip)
      return { tip, created: true, ...(code ? { code } : {}) }
    } catch (err) {
      await discardUploads(deps.storage, input.uploads)
      if (isUniqueViolation(err)) {
        // A double tap that raced the first: the first one won; answer with it.
        const existing = await tipsRepository.findByIdempotencyKey(deps.db, keyHash)
        if (existing) return replayOf(existing, { ...input, uploads: [] }, deps.config.SESSION_SECRET)
      }
      throw err
    }
  },

  async byCode(db: DbOrTx, code: string): Promise<TipRow> {
    const tip = await tipsRepository.findByCodeHash(db, hashTipCode(code))
    if (!tip) throw invalidField('code', 'not_found', 'tips.code_not_found')
    return tip
  },

  /**
   * Adds to a tip's thread: more information from the tipster (with files), or a reply from staff,
   * which counts as the first response. The client key makes a retry return the first message.
   */
  async addMessage(
    deps: TipsDeps,
    tip: TipRow,
    author: { kind: 'tipster' } | { kind: 'staff'; actor: Actor; audit: AuditContext },
    input: { clientKey: string; body: string; uploads: StoredUpload[]; anonymousAddress?: string },
  ) {
    if (author.kind === 'tipster' && tip.quarantinedAt) {
      await discardUploads(deps.storage, input.uploads)
      throw conflict('tips.quarantined')
    }
    if (!input.body.trim() && !input.uploads.length) {
      await discardUploads(deps.storage, input.uploads)
      throw invalidField('body', 'too_small', 'tips.message_empty')
    }
    try {
      const existing = await tipsRepository.findMessageByClientKey(deps.db, tip.id, input.clientKey)
      if (existing) {
        await discardUploads(deps.storage, input.uploads)
        return existing
      }
      const message = await deps.db.transaction(async (tx) => {
        await uploadQuota.charge(tx, deps.config, {
          unitId: tip.unitId,
          bytes: totalBytes(input.uploads),
          anonymousAddress: input.anonymousAddress,
        })
        const row = await tipsRepository.insertMessage(tx, {
          tipId: tip.id,
          authorKind: author.kind,
          staffAuthorId: author.kind === 'staff' ? author.actor.userId : null,
          body: input.body.trim(),
          clientKey: input.clientKey,
        })
        await tipsRepository.insertEvidence(
          tx,
          input.uploads.map((u) => evidenceRow(u, { tipMessageId: row.id })),
        )
        if (author.kind === 'staff') {
          await tipsRepository.update(tx, tip.id, {
            firstResponseAt: tip.firstResponseAt ?? new Date(),
            staffUpdatedAt: new Date(),
            ...(tip.status === 'new' ? { status: 'in_review' as const } : {}),
          })
          await audit.record(tx, author.audit, {
            action: 'tip.reply',
            entityType: 'tip',
            entityId: tip.id,
            unitId: tip.areaId,
            unitPath: tip.areaPath,
          })
        } else {
          await tipsRepository.update(tx, tip.id, {})
        }
        return row
      })
      await publishTipChanged(deps.bus, (await tipsRepository.get(deps.db, tip.id))!)
      return message
    } catch (err) {
      await discardUploads(deps.storage, input.uploads)
      throw err
    }
  },

  /** Staff triage: status (in review, closed) and hand-over to a colleague of the area. */
  async update(
    deps: TipsDeps,
    actor: Actor,
    ctx: AuditContext,
    tip: TipRow,
    patch: { status?: 'in_review' | 'closed'; assigneeId?: string | null },
  ): Promise<TipRow> {
    tipsPolicy.authorize(actor, 'work', tip)
    if (patch.assigneeId && !(await unitStaffService.isColleague(deps.db, patch.assigneeId, tip.areaPath))) {
      throw invalidField('assigneeId', 'invalid', 'tips.assignee_invalid')
    }
    if (patch.status && tip.status === 'linked') throw new AppError('conflict', 'tips.linked_to_case')
    const updated = await deps.db.transaction(async (tx) => {
      const row = await tipsRepository.update(tx, tip.id, {
        ...(patch.status
          ? {
              status: patch.status,
              closedAt: patch.status === 'closed' ? new Date() : null,
              // A new status is news for the sender; a hand-over between officers is not.
              ...(patch.status !== tip.status ? { staffUpdatedAt: new Date() } : {}),
            }
          : {}),
        ...(patch.assigneeId !== undefined ? { assigneeId: patch.assigneeId } : {}),
        firstResponseAt: tip.firstResponseAt ?? new Date(),
      })
      await audit.record(tx, ctx, {
        action: 'tip.update',
        entityType: 'tip',
        entityId: tip.id,
        unitId: tip.areaId,
        unitPath: tip.areaPath,
        details: { fields: Object.keys(patch) },
      })
      return row
    })
    await publishTipChanged(deps.bus, updated)
    return updated
  },

  /** The sender opened their tip: the police's updates so far are seen (the bar's count drops). */
  async markSeenBySender(db: DbOrTx, actor: Actor, tip: TipRow): Promise<void> {
    if (tip.submitterId !== actor.userId) return
    await tipsRepository.markSeenBySender(db, tip.id, actor.userId)
  },

  async getReadable(db: DbOrTx, actor: Actor | null, id: string): Promise<TipRow> {
    const tip = await tipsRepository.get(db, id)
    if (!tip) throw notFound('tips.not_found')
    tipsPolicy.authorize(actor, 'read', tip, { hide: true })
    return tip
  },
}
