import type { TConversationView } from '@common/schemas/messaging'
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { invalidField, notFound } from '../../lib/errors'
import { type AuditContext, audit, systemAuditContext } from '../audit/audit.service'
import { unitStaffService } from '../organisation/unit-staff.service'
import { listConversationRows } from './conversation.queries'
import {
  type ConversationRow,
  conversationRepository,
  type LoadedConversation,
} from './conversation.repository'
import { messageRepository } from './message.repository'
import { loadReadable, type MessagingDeps } from './message.service'
import { conversationActions, messagingPolicy } from './messaging.policy'
import { type OfficerRow, presentConversation, presentMessage, presentOfficer } from './messaging.presenter'

const isStaff = (a: Actor) => a.kind === 'staff'

export const conversationService = {
  /** One conversation as the caller sees it, with what they may do next. */
  async view(db: DbOrTx, actor: Actor, loaded: LoadedConversation): Promise<TConversationView> {
    const [row] = await listConversationRows(
      db,
      { userId: actor.userId, isStaff: isStaff(actor) },
      sql`c.id = ${loaded.conversation.id}`,
    )
    return presentConversation(
      row!,
      messagingPolicy.allowed(actor, [...conversationActions], loaded.resource),
    )
  },

  /** The resident's conversation with the police of their area, created on first use. */
  async ensureMine(db: DbOrTx, actor: Actor): Promise<ConversationRow> {
    messagingPolicy.authorize(actor, 'askMyArea')
    const areaId = actor.areaId!
    const existing = await conversationRepository.findDirect(db, actor.userId, areaId)
    if (existing) return existing
    const area = await conversationRepository.unit(db, areaId)
    if (!area) throw notFound('messaging.area_not_found')
    // Routed to the officer answering for the area now; with none, it waits in the unit's duty queue.
    const assigneeId = await conversationRepository.responsibleOfficer(db, areaId)
    return conversationRepository.insertDirect(db, {
      residentId: actor.userId,
      areaId,
      areaPath: area.path,
      assigneeId,
    })
  },

  /** What the resident's /ask page shows before any message: the officer card and the conversation. */
  async askPage(db: DbOrTx, actor: Actor) {
    messagingPolicy.authorize(actor, 'askMyArea')
    const areaId = actor.areaId!
    const area = await conversationRepository.unit(db, areaId)
    const existing = await conversationRepository.findDirect(db, actor.userId, areaId)
    const officerId = existing?.assigneeId ?? (await conversationRepository.responsibleOfficer(db, areaId))
    const officer = officerId ? await conversationRepository.userCard(db, officerId) : undefined
    const conversation = existing
      ? await conversationService.view(
          db,
          actor,
          (await conversationRepository.load(db, existing.id, actor.userId))!,
        )
      : null
    return {
      areaName: area?.name ?? '',
      officer: officer
        ? presentOfficer({
            id: officer.id,
            display_name: officer.displayName,
            rank: officer.rank,
            title: officer.title,
            official_phone: officer.officialPhone,
            photo_url: officer.photoUrl,
          } satisfies OfficerRow)
        : null,
      conversation,
    }
  },

  async messages(
    db: DbOrTx,
    actor: Actor,
    loaded: LoadedConversation,
    o: { beforeSeq?: number; limit: number },
  ) {
    const includeInternal = messagingPolicy.can(actor, 'work', loaded.resource)
    const canModerate = messagingPolicy.can(actor, 'moderate', loaded.resource)
    const rows = await messageRepository.page(db, loaded.conversation.id, {
      ...o,
      limit: o.limit + 1,
      includeInternal,
    })
    const hasMore = rows.length > o.limit
    const page = hasMore ? rows.slice(1) : rows
    const pinned = await messageRepository.pinned(db, loaded.conversation.id, includeInternal)
    return {
      messages: page.map((m) => presentMessage(m, { canModerate })),
      pinned: pinned.map((m) => presentMessage(m, { canModerate })),
      hasMore,
    }
  },

  /** Status and labels; resolving records the resolution time, reopening clears it. */
  async update(
    deps: MessagingDeps,
    actor: Actor,
    loaded: LoadedConversation,
    input: { status?: ConversationRow['status']; labels?: string[] },
  ) {
    messagingPolicy.authorize(actor, 'work', loaded.resource)
    const c = loaded.conversation
    const values: Partial<ConversationRow> = {}
    if (input.labels) values.labels = [...new Set(input.labels)]
    if (input.status && input.status !== c.status) {
      values.status = input.status
      if (input.status === 'resolved') Object.assign(values, { resolvedAt: new Date(), awaitingSince: null })
      else values.resolvedAt = null
    }
    const updated = await conversationRepository.update(deps.db, c.id, values)
    await deps.events.conversation(updated)
    return updated
  },

  /** Hands the conversation to a colleague of the area's unit, with a note kept in the staff timeline. */
  async transfer(
    deps: MessagingDeps,
    actor: Actor,
    loaded: LoadedConversation,
    toUserId: string,
    note: string,
  ) {
    messagingPolicy.authorize(actor, 'work', loaded.resource)
    const c = loaded.conversation
    if (!(await unitStaffService.isColleague(deps.db, toUserId, c.areaPath ?? '')))
      throw invalidField('toUserId', 'not_colleague', 'messaging.transfer_not_colleague')
    const target = (await conversationRepository.userCard(deps.db, toUserId))!
    const { updated, messageId } = await deps.db.transaction(async (tx) => {
      await conversationRepository.recordTransfer(tx, {
        conversationId: c.id,
        fromId: c.assigneeId,
        toId: toUserId,
        note,
        createdBy: actor.userId,
      })
      const updated = await conversationRepository.update(tx, c.id, { assigneeId: toUserId })
      await messageRepository.lockStream(tx)
      const seq = await conversationRepository.nextSeq(tx, c.id)
      const msg = await messageRepository.insert(tx, {
        conversationId: c.id,
        seq,
        authorId: actor.userId,
        kind: 'system',
        body: note ? `→ ${target.displayName}: ${note}` : `→ ${target.displayName}`,
        isInternal: true,
        payload: { event: 'transfer', toUserId, toName: target.displayName },
      })
      return { updated, messageId: msg.id }
    })
    const record = (await messageRepository.view(deps.db, messageId))!
    await deps.events.message('message.created', updated, presentMessage(record, { canModerate: false }))
    await deps.events.conversation(updated, [toUserId, ...(c.assigneeId ? [c.assigneeId] : [])])
    return updated
  },

  /** The resident's personal details for the officer's side panel: every read is in the audit log. */
  async residentContext(db: DbOrTx, actor: Actor, loaded: LoadedConversation, ctx: AuditContext) {
    messagingPolicy.authorize(actor, 'work', loaded.resource)
    const c = loaded.conversation
    const resident = c.residentId ? await conversationRepository.userCard(db, c.residentId) : undefined
    const area = c.areaId ? await conversationRepository.unit(db, c.areaId) : undefined
    await audit.record(db, ctx, {
      action: 'resident.read',
      entityType: 'user',
      entityId: c.residentId,
      unitId: c.areaId,
      unitPath: c.areaPath,
      reason: 'messaging.conversation',
      details: { conversationId: c.id, fields: ['fullName', 'phone', 'address'] },
    })
    return {
      resident: resident
        ? {
            id: resident.id,
            displayName: resident.displayName,
            fullName: resident.fullName,
            phone: resident.phone,
            address: resident.address,
            areaName: area?.name ?? null,
          }
        : null,
      transfers: await conversationRepository.transfers(db, c.id),
    }
  },

  /** Mutes a direct conversation's notifications for the caller, who may read it (checked by loading it). */
  async setMuted(db: DbOrTx, actor: Actor, loaded: LoadedConversation, muted: boolean) {
    if (loaded.conversation.kind !== 'direct')
      throw invalidField('muted', 'group_mute', 'messaging.mute_group_elsewhere')
    await conversationRepository.setMuted(db, loaded.conversation.id, actor.userId, muted)
    return { notificationsMuted: muted }
  },

  /** An area changed officer: its conversations with the former officer (and its open queue) follow the new one. */
  async followAreaOfficer(deps: MessagingDeps, areaId: string, previousOfficerId: string | null) {
    const moved = await deps.db.transaction(async (tx) => {
      const officerId = await conversationRepository.responsibleOfficer(tx, areaId)
      const rows = await conversationRepository.followOfficer(tx, areaId, previousOfficerId, officerId)
      for (const c of rows) {
        await audit.record(tx, systemAuditContext(), {
          action: 'conversation.hand_over',
          entityType: 'conversation',
          entityId: c.id,
          unitId: c.areaId,
          unitPath: c.areaPath,
          details: { from: previousOfficerId, to: officerId, reason: 'area.officer_changed' },
        })
      }
      return rows
    })
    for (const c of moved) await deps.events.conversation(c, previousOfficerId ? [previousOfficerId] : [])
    // Now that they are no longer the assignee, the former officer's sockets leave these conversations.
    if (moved.length && previousOfficerId) await deps.events.accessChanged([previousOfficerId])
    return moved.length
  },

  loadReadable,
}
