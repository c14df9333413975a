import { translate } from '@common/i18n/messages'
import type { Config } from '../../config'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import type { EventBus } from '../../realtime/event-bus'
import { conversationRepository } from '../messaging/conversation.repository'
import { messageService } from '../messaging/message.service'
import { MessagingEvents } from '../messaging/messaging.events'
import { messagingPolicy } from '../messaging/messaging.policy'
import type { HelpRequestRow } from './help-requests.repository'
import { helpRequestsRepository } from './help-requests.repository'

export interface PostingDeps {
  db: Db
  bus: EventBus
  config: Config
}

const fmt = (d: Date | null) =>
  d
    ? new Intl.DateTimeFormat('vi-VN', {
        timeZone: 'Asia/Ho_Chi_Minh',
        day: '2-digit',
        month: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      }).format(d)
    : ''

/** The text posted in a group: what happened, what to look for, where, when, and the link to answer. */
export function helpRequestText(config: Config, h: HelpRequestRow): string {
  const t = (key: string, vars: Record<string, string> = {}) => translate('vi', key, vars)
  const lines = [t('help.post.heading'), h.description]
  if (h.lookFor) lines.push(t('help.post.look_for', { text: h.lookFor }))
  if (h.placeText) lines.push(t('help.post.place', { text: h.placeText }))
  if (h.windowStart || h.windowEnd)
    lines.push(t('help.post.window', { from: fmt(h.windowStart), to: fmt(h.windowEnd) }))
  lines.push(t('help.post.answer', { url: `${config.PUBLIC_URL}/help/${h.id}` }))
  return lines.join('\n')
}

/** True when the actor may post in the group's conversation (messaging's own rule). */
export async function mayPostInGroup(db: Db, actor: Actor, groupId: string): Promise<boolean> {
  const conversationId = await helpRequestsRepository.groupConversationId(db, groupId)
  if (!conversationId) return false
  const loaded = await conversationRepository.load(db, conversationId, actor.userId)
  return !!loaded && messagingPolicy.can(actor, 'post', loaded.resource)
}

/**
 * Posts a text message into a group through the messaging service, as the officer. The client key
 * is derived from the request and the group, so a retry never posts twice. Returns the message id.
 */
export async function postToGroup(
  deps: PostingDeps,
  actor: Actor,
  groupId: string,
  clientKey: string,
  body: string,
): Promise<string | null> {
  const conversationId = await helpRequestsRepository.groupConversationId(deps.db, groupId)
  if (!conversationId) return null
  const loaded = await conversationRepository.load(deps.db, conversationId, actor.userId)
  if (!loaded || !messagingPolicy.can(actor, 'post', loaded.resource)) return null
  const events = new MessagingEvents(deps.db, deps.bus)
  const { message } = await messageService.send({ db: deps.db, events }, actor, loaded, { clientKey, body })
  return message.id
}
