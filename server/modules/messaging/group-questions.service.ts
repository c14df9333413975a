import type { TGroupQuestionView } from '@common/schemas/messaging'
import type { DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { invalidField, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { type AuditContext, audit } from '../audit/audit.service'
import { unitStaffService } from '../organisation/unit-staff.service'
import { conversationRepository, type LoadedConversation } from './conversation.repository'
import {
  type GroupQuestionListRow,
  type GroupQuestionRow,
  groupQuestionsRepository,
} from './group-questions.repository'
import { messageRepository } from './message.repository'
import { loadReadable, type MessagingDeps } from './message.service'
import { messagingPolicy } from './messaging.policy'
import { iso } from './messaging.presenter'

const excerptOf = (body: string) => (body.length > 140 ? `${body.slice(0, 139)}…` : body)

export function presentGroupQuestion(r: GroupQuestionListRow): TGroupQuestionView {
  return {
    id: r.id,
    messageId: r.message_id,
    groupId: r.group_id,
    conversationId: r.conversation_id,
    groupName: r.group_name,
    authorName: r.author_name ?? '',
    excerpt: excerptOf(r.body),
    reason: r.reason,
    askedAt: iso(r.created_at)!,
    answeredAt: iso(r.answered_at),
  }
}

/** What a send changed among group questions, published once the send has committed. */
export type GroupQuestionChange = { row: GroupQuestionRow; answered: boolean } | null

/**
 * Residents' questions in groups that wait for the police (issue 19): asked by a resident with
 * "ask the police" (the message mentions the area officer), or passed on by a moderator. They sit in
 * the officers' inbox until a staff member replies to the message in the group or marks it answered.
 */
export const groupQuestionsService = {
  /**
   * Whom "ask the police" mentions: the officer answering for the group's area now; for a group of a
   * whole unit (or an area nobody answers for), the commanders over it.
   */
  async policeToMention(db: DbOrTx, loaded: LoadedConversation): Promise<string[]> {
    const group = loaded.group
    if (!group) return []
    const officer = await conversationRepository.responsibleOfficer(db, group.unitId)
    return officer ? [officer] : unitStaffService.commandersOver(db, group.unitPath)
  },

  /** Inside the send transaction: a resident's question is recorded, a staff reply answers one. */
  async afterSend(
    tx: DbOrTx,
    actor: Actor,
    loaded: LoadedConversation,
    message: { id: string; replyToId: string | null },
    askPolice: boolean,
  ): Promise<GroupQuestionChange> {
    const group = loaded.group
    if (!group) return null
    if (actor.kind === 'staff') {
      if (!message.replyToId) return null
      const row = await groupQuestionsRepository.answer(tx, { messageId: message.replyToId }, actor.userId)
      return row ? { row, answered: true } : null
    }
    if (!askPolice) return null
    const row = await groupQuestionsRepository.insert(tx, {
      messageId: message.id,
      groupId: group.id,
      unitPath: group.unitPath,
      reason: 'mention',
    })
    return row ? { row, answered: false } : null
  },

  async publish(deps: MessagingDeps, change: GroupQuestionChange): Promise<void> {
    if (!change) return
    const { row, answered } = change
    await deps.events.groupQuestion({ id: row.id, groupId: row.groupId, unitPath: row.unitPath, answered })
  },

  /** The open questions of the groups the caller works. */
  async listOpen(db: DbOrTx, actor: Actor): Promise<TGroupQuestionView[]> {
    messagingPolicy.authorize(actor, 'useInbox')
    return (await groupQuestionsRepository.listOpen(db, scopeOf(actor))).map(presentGroupQuestion)
  },

  /** A moderator passes a resident's message on to the police. */
  async flag(deps: MessagingDeps, actor: Actor, ctx: AuditContext, messageId: string) {
    const message = await messageRepository.get(deps.db, messageId)
    if (!message) throw notFound('messaging.message_not_found')
    const loaded = await loadReadable(deps.db, actor, message.conversationId)
    messagingPolicy.authorize(actor, 'moderate', loaded.resource)
    const group = loaded.group
    if (!group || message.deletedAt || message.hiddenAt || message.isInternal)
      throw invalidField('messageId', 'invalid', 'messaging.question_invalid')
    const change = await deps.db.transaction(async (tx) => {
      const row = await groupQuestionsRepository.insert(tx, {
        messageId,
        groupId: group.id,
        unitPath: group.unitPath,
        reason: 'moderator',
        flaggedBy: actor.userId,
      })
      if (row)
        await audit.record(tx, ctx, {
          action: 'group_question.flag',
          entityType: 'message',
          entityId: messageId,
          unitId: group.unitId,
          unitPath: group.unitPath,
        })
      return row ? { row, answered: false } : null
    })
    await groupQuestionsService.publish(deps, change)
  },

  /** Staff over the group mark a question answered (answered by phone, or in person). */
  async markAnswered(deps: MessagingDeps, actor: Actor, ctx: AuditContext, id: string) {
    const question = await groupQuestionsRepository.get(deps.db, id)
    if (!question || !messagingPolicy.can(actor, 'answerGroupQuestion', question)) throw notFound()
    const change = await deps.db.transaction(async (tx) => {
      const row = await groupQuestionsRepository.answer(tx, { id }, actor.userId)
      if (row)
        await audit.record(tx, ctx, {
          action: 'group_question.answer',
          entityType: 'message',
          entityId: row.messageId,
          unitPath: row.unitPath,
        })
      return row ? { row, answered: true } : null
    })
    await groupQuestionsService.publish(deps, change)
  },
}
