import { randomBytes } from 'node:crypto'
import type { TGroupView, ZCreateGroupRequest, ZUpdateMemberRequest } from '@common/schemas/messaging'
import { eq } from 'drizzle-orm'
import type { z } from 'zod'
import type { DbOrTx } from '../../db/client'
import { conversations } from '../../db/schema/index'
import type { Actor } from '../../lib/actor'
import { AppError, forbidden, invalidField, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { type AuditContext, audit } from '../audit/audit.service'
import { conversationRepository, type LoadedConversation } from './conversation.repository'
import { groupRepository } from './group.repository'
import type { MessagingDeps } from './message.service'
import { conversationActions, messagingPolicy, staffOverGroup } from './messaging.policy'
import { iso, presentGroup, presentMember } from './messaging.presenter'

/** An invite code: 10 characters without look-alikes, ~50 bits. */
const newInviteCode = () => {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  return [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('')
}

export const groupService = {
  /** The group and its conversation with the caller's rights; 404 to those who are neither member nor staff over it. */
  async load(db: DbOrTx, actor: Actor, groupId: string, opts: { allowPending?: boolean } = {}) {
    const [c] = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.groupId, groupId))
    const loaded = c ? await conversationRepository.load(db, c.id, actor.userId) : undefined
    if (!loaded?.group) throw notFound('messaging.group_not_found')
    const pending = opts.allowPending && loaded.resource.member?.status === 'pending'
    if (!pending) messagingPolicy.authorize(actor, 'read', loaded.resource, { hide: true })
    return loaded as LoadedConversation & { group: NonNullable<LoadedConversation['group']> }
  },

  async view(db: DbOrTx, actor: Actor, groupId: string): Promise<TGroupView> {
    const loaded = await groupService.load(db, actor, groupId, { allowPending: true })
    const [row] = await groupRepository.list(db, scopeOf(actor), { groupId })
    return presentGroup(row!, messagingPolicy.allowed(actor, [...conversationActions], loaded.resource))
  },

  async list(db: DbOrTx, actor: Actor): Promise<TGroupView[]> {
    const rows = await groupRepository.list(db, scopeOf(actor))
    return rows.map((r) => {
      const resource = {
        kind: 'group' as const,
        residentId: null,
        areaPath: null,
        assigneeId: null,
        group: { unitPath: r.unit_path, postingPolicy: r.posting_policy },
        member: r.my_role && r.my_status ? { role: r.my_role, status: r.my_status, mutedUntil: null } : null,
      }
      return presentGroup(r, messagingPolicy.allowed(actor, [...conversationActions], resource))
    })
  },

  /** Units and areas the caller may create groups on: their areas, their unit and what lies under it. */
  async creatableUnits(db: DbOrTx, actor: Actor) {
    messagingPolicy.authorize(actor, 'useInbox')
    return groupRepository.creatableUnits(db, scopeOf(actor))
  },

  /** Officers create groups for their areas and unit; the creator owns the group. */
  async create(db: DbOrTx, actor: Actor, input: z.output<typeof ZCreateGroupRequest>) {
    const unit = await conversationRepository.unit(db, input.unitId)
    if (!unit) throw invalidField('unitId', 'not_found', 'messaging.unit_not_found')
    messagingPolicy.authorize(actor, 'manageUnit', unit)
    const { group } = await db.transaction(async (tx) => {
      const created = await groupRepository.insert(tx, {
        ...input,
        unitPath: unit.path,
        inviteCode: newInviteCode(),
        createdBy: actor.userId,
      })
      await groupRepository.upsertMember(tx, {
        groupId: created.group.id,
        userId: actor.userId,
        role: 'owner',
      })
      return created
    })
    return groupService.view(db, actor, group.id)
  },

  /** Members; the area's police also see residents' phones (audited), moderators display names only. */
  async members(db: DbOrTx, actor: Actor, groupId: string, ctx: AuditContext) {
    const loaded = await groupService.load(db, actor, groupId)
    const rows = await groupRepository.members(db, groupId)
    const personal = staffOverGroup(actor, loaded.group.unitPath)
    if (personal) {
      await audit.record(db, ctx, {
        action: 'resident.read',
        entityType: 'group_members',
        entityId: groupId,
        unitId: loaded.group.unitId,
        unitPath: loaded.group.unitPath,
        reason: 'messaging.group_members',
        details: { count: rows.length, fields: ['phone'], subjectUserIds: rows.map((m) => m.user_id) },
      })
    }
    const canModerate = messagingPolicy.can(actor, 'moderate', loaded.resource)
    return rows.filter((m) => canModerate || m.status !== 'pending').map((m) => presentMember(m, personal))
  },

  async invite(db: DbOrTx, actor: Actor, groupId: string, publicUrl: string, rotate = false) {
    const loaded = await groupService.load(db, actor, groupId)
    messagingPolicy.authorize(actor, 'moderate', loaded.resource)
    let code = loaded.group.inviteCode
    if (rotate) {
      messagingPolicy.authorize(actor, 'manageGroup', {
        unitPath: loaded.group.unitPath,
        isOwner: loaded.resource.member?.role === 'owner',
      })
      code = (await groupRepository.update(db, groupId, { inviteCode: newInviteCode() })).inviteCode
    }
    const url = `${publicUrl}/groups/join/${code}`
    const { default: QRCode } = await import('qrcode') // on an invite only, not at every start
    const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    return { code, url, qrSvg }
  },

  /** What the join page shows before joining. */
  async preview(db: DbOrTx, code: string) {
    const group = await groupRepository.byInvite(db, code)
    if (!group || group.archivedAt) throw notFound('messaging.invite_not_found')
    const unit = await conversationRepository.unit(db, group.unitId)
    return {
      id: group.id,
      name: group.name,
      kind: group.kind,
      unitName: unit?.name ?? '',
      joinPolicy: group.joinPolicy,
    }
  },

  /** Joins by invite code: at once for open groups and for the unit's staff, else after approval. */
  async join(deps: MessagingDeps, actor: Actor, code: string): Promise<TGroupView> {
    const group = await groupRepository.byInvite(deps.db, code)
    if (!group || group.archivedAt) throw notFound('messaging.invite_not_found')
    const existing = await groupRepository.member(deps.db, group.id, actor.userId)
    if (existing?.status === 'removed') throw forbidden('messaging.removed_from_group')
    if (!existing) {
      const status =
        group.joinPolicy === 'open' || staffOverGroup(actor, group.unitPath) ? 'active' : 'pending'
      const m = await groupRepository.upsertMember(deps.db, {
        groupId: group.id,
        userId: actor.userId,
        status,
      })
      await deps.events.member(group.id, actor.userId, m.status, m.role)
    }
    return groupService.view(deps.db, actor, group.id)
  },

  /** Approve, mute, unmute, remove (moderators); make or unmake moderators (owner and staff). */
  async updateMember(
    deps: MessagingDeps,
    actor: Actor,
    groupId: string,
    userId: string,
    input: z.output<typeof ZUpdateMemberRequest>,
  ) {
    const loaded = await groupService.load(deps.db, actor, groupId)
    messagingPolicy.authorize(actor, 'moderate', loaded.resource)
    const target = await groupRepository.member(deps.db, groupId, userId)
    if (!target || target.status === 'removed') throw notFound('messaging.member_not_found')
    if (target.role === 'owner') throw new AppError('conflict', 'messaging.owner_unchangeable')
    if (input.role) {
      messagingPolicy.authorize(actor, 'manageGroup', {
        unitPath: loaded.group.unitPath,
        isOwner: loaded.resource.member?.role === 'owner',
      })
    }
    const values: Parameters<typeof groupRepository.updateMember>[3] = { changedBy: actor.userId }
    if (input.role) values.role = input.role
    if (input.status) {
      values.status = input.status
      values.mutedUntil =
        input.status === 'muted' && input.mutedMinutes
          ? new Date(Date.now() + input.mutedMinutes * 60_000)
          : null
    }
    const row = (await groupRepository.updateMember(deps.db, groupId, userId, values))!
    await deps.events.member(groupId, userId, row.status, row.role)
    return { userId, role: row.role, status: row.status, mutedUntil: iso(row.mutedUntil) }
  },

  /** A member turns the group's notifications off or on (they still read it in the app). */
  async setNotifications(db: DbOrTx, actor: Actor, groupId: string, muted: boolean) {
    const member = await groupRepository.member(db, groupId, actor.userId)
    if (!member || member.status === 'removed' || member.status === 'pending')
      throw notFound('messaging.member_not_found')
    await groupRepository.updateMember(db, groupId, actor.userId, { notificationsMuted: muted })
    return { notificationsMuted: muted }
  },

  async leave(deps: MessagingDeps, actor: Actor, groupId: string) {
    const member = await groupRepository.member(deps.db, groupId, actor.userId)
    if (!member || member.status === 'removed') throw notFound('messaging.member_not_found')
    if (member.role === 'owner') throw new AppError('conflict', 'messaging.owner_unchangeable')
    await groupRepository.deleteMember(deps.db, groupId, actor.userId)
    await deps.events.member(groupId, actor.userId, 'left', member.role)
  },

  async reports(db: DbOrTx, actor: Actor, groupId: string) {
    const loaded = await groupService.load(db, actor, groupId)
    messagingPolicy.authorize(actor, 'moderate', loaded.resource)
    const rows = await groupRepository.reports(db, loaded.conversation.id)
    return rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      reason: r.reason,
      createdAt: iso(r.created_at)!,
      reporterName: r.reporter_name,
      excerpt: r.message_body.slice(0, 200),
      messageHidden: !!r.message_hidden,
    }))
  },
}
