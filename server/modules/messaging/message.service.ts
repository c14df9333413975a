import type { TMessageDelivery } from '@common/schemas/channels'
import {
  EDIT_WINDOW_MINUTES,
  type TMessageView,
  type TSendMessageRequest,
  ZSendMessageRequest,
} from '@common/schemas/messaging'
import type { Db, DbOrTx } from '../../db/client'
import type { MessageAttachment } from '../../db/schema/index'
import type { Actor } from '../../lib/actor'
import { AppError, conflict, forbidden, invalidField, notFound } from '../../lib/errors'
import type { PushNotifier } from '../notifications/push-notifier'
import type { ChannelGateway } from './channels/channel-outbound.service'
import {
  type ConversationRow,
  conversationRepository,
  type LoadedConversation,
} from './conversation.repository'
import { directAccessCache } from './direct-access-cache'
import { fileRepository } from './file.repository'
import { groupQuestionsService } from './group-questions.service'
import { messageRepository } from './message.repository'
import { pushNewMessage } from './message-push'
import type { MessagingEvents } from './messaging.events'
import { messagingPolicy } from './messaging.policy'
import { presentMessage } from './messaging.presenter'

export interface MessagingDeps {
  db: Db
  events: MessagingEvents
  /** Web Push after commit; absent where a caller posts without notifying (imports, tests). */
  push?: PushNotifier
  /** Replies to Zalo and Messenger contacts go out through it; absent: every conversation is web-only. */
  channels?: ChannelGateway
}

/**
 * Another way out for one message, chosen by the sender (an answer by SMS): it decides the message's
 * delivery inside the send transaction (and may refuse, which writes nothing) and queues the work
 * once the message row exists. Without one, the conversation's channel decides (web, Zalo, Messenger).
 */
export interface OutboundRoute {
  beforeInsert(tx: DbOrTx, c: ConversationRow, body: string): Promise<TMessageDelivery>
  afterInsert(tx: DbOrTx, c: ConversationRow, messageId: string, body: string): Promise<void>
}

export interface SendResult {
  message: TMessageView
  /** False when the client key had been used: the earlier message is returned, nothing is written. */
  created: boolean
}

/** Loads a conversation with the caller's rights, answering 404 to those who may not read it. */
export async function loadReadable(
  db: DbOrTx,
  actor: Actor,
  conversationId: string,
): Promise<LoadedConversation> {
  const loaded = await conversationRepository.load(db, conversationId, actor.userId)
  if (!loaded) throw notFound('messaging.conversation_not_found')
  messagingPolicy.authorize(actor, 'read', loaded.resource, { hide: true })
  return loaded
}

function kindOf(
  input: ReturnType<typeof ZSendMessageRequest.parse>,
  files: MessageAttachment[],
): TMessageView['kind'] {
  if (input.guidance) return 'guidance'
  if (input.procedure) return 'procedure_card'
  if (input.location) return 'location'
  if (files.some((f) => f.kind === 'voice')) return 'voice'
  if (files.some((f) => f.kind === 'photo')) return 'photo'
  if (files.length) return 'file'
  return 'text'
}

/**
 * Direct-conversation bookkeeping after a send, applied by `insertSent` on the locked row: the
 * resident wrote (waiting since then, reopened, answered in the app from now on) or the police
 * answered (nobody waiting, first response kept).
 */
function workflowAfterSend(c: ConversationRow, actor: Actor, internal: boolean): 'resident' | 'staff' | null {
  if (c.kind !== 'direct' || internal) return null
  return actor.userId === c.residentId ? 'resident' : 'staff'
}

/** Whether the actor may send this message here: to post, and what an internal note or a card needs. */
function authorizeSend(actor: Actor, loaded: LoadedConversation, input: TSendMessageRequest) {
  const { resource } = loaded
  messagingPolicy.authorize(actor, 'post', resource)
  if (input.internal) messagingPolicy.authorize(actor, 'work', resource)
  if (input.guidance) {
    messagingPolicy.authorize(actor, 'postGuidance', resource)
    // A card is words, one photo and a link: no map pin, procedure, voice or ask-the-police mark.
    if (input.location || input.procedure || input.askPolice || input.internal)
      throw invalidField('guidance', 'invalid', 'messaging.guidance_mixed')
  }
}

export const messageService = {
  /**
   * Sends a message. The reply leaves only after the commit; the same client key from the same
   * author returns the message already stored, so a retry after a lost answer never duplicates.
   */
  async send(
    deps: MessagingDeps,
    actor: Actor,
    loaded: LoadedConversation,
    raw: TSendMessageRequest,
    route?: OutboundRoute,
  ): Promise<SendResult> {
    return (await sendOn(deps, actor, loaded, raw, { route }))!
  },

  /**
   * `send` into a conversation named by id, answering 404 to those who may not read it. A direct
   * conversation a send has read recently is not read again: the rights are decided on it as cached
   * and re-checked by the write itself (see `DirectAccessCache`).
   */
  async sendTo(
    deps: MessagingDeps,
    actor: Actor,
    conversationId: string,
    raw: TSendMessageRequest,
  ): Promise<SendResult> {
    const cache = directAccessCache(deps.db)
    const cached = cache.get(conversationId)
    if (cached) {
      const sent = await sendOn(deps, actor, cached, raw, { onCachedAccess: true })
      if (sent) return sent
      cache.forget(conversationId)
    }
    const loaded = await loadReadable(deps.db, actor, conversationId)
    cache.remember(loaded)
    return messageService.send(deps, actor, loaded, raw)
  },

  /** Edits or deletes one's own message within the window; the earlier text is kept for audit. */
  async change(
    deps: MessagingDeps,
    actor: Actor,
    messageId: string,
    change: { action: 'edit'; body: string } | { action: 'delete' },
  ): Promise<TMessageView> {
    const msg = await messageRepository.get(deps.db, messageId)
    if (!msg) throw notFound('messaging.message_not_found')
    const loaded = await loadReadable(deps.db, actor, msg.conversationId)
    if (msg.authorId !== actor.userId) throw forbidden('messaging.not_author')
    if (msg.deletedAt || msg.hiddenAt) throw conflict('messaging.message_removed')
    if (Date.now() - msg.createdAt.getTime() > EDIT_WINDOW_MINUTES * 60_000)
      throw new AppError('conflict', 'messaging.edit_window_passed', {
        vars: { minutes: EDIT_WINDOW_MINUTES },
      })
    await deps.db.transaction(async (tx) => {
      await messageRepository.recordEdit(tx, {
        messageId,
        editedBy: actor.userId,
        action: change.action,
        previousBody: msg.body,
      })
      await messageRepository.changeUnsequenced(
        tx,
        messageId,
        change.action === 'edit'
          ? { body: change.body.trim(), editedAt: new Date() }
          : { deletedAt: new Date() },
      )
    })
    await messageRepository.sequence(deps.db)
    return messageService.publishUpdate(deps, loaded.conversation, messageId)
  },

  /** Moderation: hide with a reason (the original stays for audit), pin and unpin. */
  async moderate(
    deps: MessagingDeps,
    actor: Actor,
    messageId: string,
    change: { action: 'hide'; reason: string } | { action: 'pin' } | { action: 'unpin' },
  ): Promise<TMessageView> {
    const msg = await messageRepository.get(deps.db, messageId)
    if (!msg) throw notFound('messaging.message_not_found')
    const loaded = await loadReadable(deps.db, actor, msg.conversationId)
    messagingPolicy.authorize(actor, 'moderate', loaded.resource)
    const now = new Date()
    const values =
      change.action === 'hide'
        ? {
            hiddenAt: now,
            hiddenBy: actor.userId,
            hiddenReason: change.reason,
            pinnedAt: null,
            pinnedBy: null,
          }
        : change.action === 'pin'
          ? { pinnedAt: now, pinnedBy: actor.userId }
          : { pinnedAt: null, pinnedBy: null }
    await messageRepository.changeUnsequenced(deps.db, messageId, values)
    await messageRepository.sequence(deps.db)
    return messageService.publishUpdate(deps, loaded.conversation, messageId, true)
  },

  /**
   * Records how an outside delivery went (SMS, Zalo, Messenger) on the message: a new stream
   * position, so every open inbox and a resuming client see the change.
   */
  async setDelivery(deps: MessagingDeps, messageId: string, delivery: TMessageDelivery) {
    const msg = await messageRepository.get(deps.db, messageId)
    if (!msg) return
    await messageRepository.changeUnsequenced(deps.db, messageId, { delivery })
    await messageRepository.sequence(deps.db)
    const c = (await conversationRepository.get(deps.db, msg.conversationId))!
    await messageService.publishUpdate(deps, c, messageId)
  },

  async publishUpdate(deps: MessagingDeps, c: ConversationRow, messageId: string, forModerator = false) {
    const record = (await messageRepository.view(deps.db, messageId))!
    await deps.events.message('message.updated', c, presentMessage(record, { canModerate: false }))
    return presentMessage(record, { canModerate: forModerator })
  },

  async report(deps: MessagingDeps, actor: Actor, messageId: string, reason: string): Promise<void> {
    const msg = await messageRepository.get(deps.db, messageId)
    if (!msg) throw notFound('messaging.message_not_found')
    const loaded = await loadReadable(deps.db, actor, msg.conversationId)
    messagingPolicy.authorize(actor, 'report', loaded.resource)
    await messageRepository.report(deps.db, { messageId, reporterId: actor.userId, reason })
  },

  async markRead(
    deps: MessagingDeps,
    actor: Actor,
    loaded: LoadedConversation,
    readSeq?: number,
    deliveredSeq?: number,
  ) {
    const c = loaded.conversation
    const cap = (n: number | undefined) => Math.min(n ?? 0, c.lastSeq)
    const row = await conversationRepository.upsertRead(
      deps.db,
      c.id,
      actor.userId,
      cap(readSeq),
      cap(deliveredSeq),
    )
    // Receipts matter between a resident and the police; in a group of thousands they would be noise.
    if (c.kind === 'direct') await deps.events.read(c, actor.userId, row.lastReadSeq, row.lastDeliveredSeq)
    return row
  },
}

interface SendOptions {
  /** Another channel's delivery (SMS, Zalo, Messenger) around the insert. */
  route?: OutboundRoute
  /**
   * The conversation is as cached (`DirectAccessCache`), not read now: answered null, with nothing
   * written, whenever the send cannot finish on those facts (refused on them, more than the one
   * statement to write, or the conversation changed since), and the caller starts over on the
   * conversation read afresh, which then answers as ever (404, 403, or the send).
   */
  onCachedAccess?: boolean
}

/** `send`, or with `onCachedAccess` the send on a cached direct conversation: null to start over. */
async function sendOn(
  deps: MessagingDeps,
  actor: Actor,
  loaded: LoadedConversation,
  raw: TSendMessageRequest,
  { route, onCachedAccess: onCache = false }: SendOptions,
): Promise<SendResult | null> {
  const c = loaded.conversation
  let input: ReturnType<typeof ZSendMessageRequest.parse>
  try {
    input = ZSendMessageRequest.parse(raw)
    if (onCache) messagingPolicy.authorize(actor, 'read', loaded.resource, { hide: true })
    authorizeSend(actor, loaded, input)
  } catch (err) {
    if (onCache) return null
    throw err
  }

  const body = input.body.trim()
  const payload = input.guidance ?? input.procedure ?? input.location ?? null
  const workflow = workflowAfterSend(c, actor, input.internal)
  // Nothing to check or queue beside the row itself (no files, reply, question, other route):
  // the one statement of `insertSent` is the whole write, autocommitted. A staff answer in a
  // conversation that takes replies in the app writes only while its channel is still 'web'.
  const channelFree = !deps.channels || input.internal || !c.residentId || actor.userId === c.residentId
  const simple =
    !route &&
    input.attachmentIds.length === 0 &&
    !input.replyToId &&
    !input.askPolice &&
    (channelFree || c.channel === 'web')
  // More than the one statement: only on the conversation as read now.
  if (onCache && !simple) return null
  const values = {
    conversationId: c.id,
    authorId: actor.userId,
    body,
    payload,
    clientKey: input.clientKey,
    isInternal: input.internal,
    workflow,
  }

  const write = () =>
    deps.db.transaction(async (tx) => {
      // Writers of one conversation queue here (its seq, its workflow); other conversations do not.
      const current = await conversationRepository.lockForWrite(tx, c.id)
      if (!current) throw notFound('messaging.conversation_not_found')
      const existing = await messageRepository.findByClientKey(tx, actor.userId, input.clientKey)
      if (existing) return { outcome: null, existing, question: null }
      const files = await fileRepository.attachmentsFor(tx, input.attachmentIds, c.id, actor.userId)
      if (files.length !== input.attachmentIds.length)
        throw invalidField('attachmentIds', 'invalid', 'messaging.attachment_invalid')
      if (input.guidance && (files.length > 1 || files.some((f) => f.kind !== 'photo')))
        throw invalidField('attachmentIds', 'invalid', 'messaging.guidance_photo_only')
      if (input.replyToId) {
        const target = await messageRepository.get(tx, input.replyToId)
        if (!target || target.conversationId !== c.id || (target.isInternal && !input.internal))
          throw invalidField('replyToId', 'invalid', 'messaging.reply_invalid')
      }
      const delivery = route
        ? await route.beforeInsert(tx, current, body)
        : ((await deps.channels?.beforeReply(tx, current, actor, input.internal)) ?? null)
      const outcome = await messageRepository.insertSent(tx, {
        ...values,
        kind: kindOf(input, files),
        attachments: files,
        replyToId: input.replyToId ?? null,
        mentions: [
          ...new Set([
            ...input.mentions,
            ...(input.askPolice ? await groupQuestionsService.policeToMention(tx, loaded) : []),
          ]),
        ],
        delivery,
      })
      const row = outcome.message
      // The same key raced in from another conversation and committed first: answered as a retry.
      if (!row) return { outcome: null, existing: undefined, question: null }
      if (route) await route.afterInsert(tx, current, row.id, body)
      else if (delivery) await deps.channels?.afterInsert(tx, row.id)
      const question = await groupQuestionsService.afterSend(
        tx,
        actor,
        loaded,
        { id: row.id, replyToId: row.reply_to_id },
        input.askPolice,
      )
      return { outcome, existing: undefined, question }
    })

  const quick = simple
    ? await messageRepository.insertSent(deps.db, {
        ...values,
        kind: kindOf(input, []),
        attachments: [],
        replyToId: null,
        mentions: [...new Set(input.mentions)],
        delivery: null,
        ...(channelFree ? {} : { requireChannel: 'web' as const }),
        ...(onCache ? { requireAccess: loaded.resource } : {}),
      })
    : null
  // Changed since it was cached: nothing written, the caller reads it afresh.
  if (onCache && !quick?.found) return null
  // Not found by the one statement (its channel changed since it was read): the full write decides.
  const written = quick?.found ? { outcome: quick, existing: undefined, question: null } : await write()
  const sent = written.outcome?.message ? written.outcome : null

  if (!sent) {
    // The client key was used: the earlier message is answered, nothing is written. It is published
    // again: the first attempt may have committed and then lost the database before it published
    // (its answer a 503), and a client on a socket that stayed open would never hear of it. Clients
    // merge messages by id, so a second event is harmless.
    const existing =
      written.existing ?? (await messageRepository.findByClientKey(deps.db, actor.userId, input.clientKey))
    if (!existing) throw conflict('messaging.client_key_reused')
    if (existing.conversationId !== c.id) throw conflict('messaging.client_key_reused')
    // Before the answer: a client that syncs once acknowledged finds its message in the stream.
    await messageRepository.sequence(deps.db)
    const record = (await messageRepository.view(deps.db, existing.id))!
    const message = presentMessage(record, { canModerate: false })
    const fresh = (await conversationRepository.get(deps.db, c.id))!
    await deps.events.message('message.created', fresh, message)
    if (fresh.kind === 'direct') await deps.events.conversation(fresh)
    return { message, created: false }
  }

  const fresh = sent.conversation!
  const record = sent.message!
  const draft = presentMessage(record, { canModerate: false })
  // The rooms of the events: the write read the commanders over the area.
  const rooms = { commanders: sent.commanders }
  // After the commit, side by side: the stream position (before the answer, so a client that syncs
  // once acknowledged finds its message) and the Web Push jobs (a push failure never fails the
  // send: the message is committed and shows in the app).
  const push = deps.push
  const [positions] = await Promise.all([
    messageRepository.sequence(deps.db),
    push
      ? pushNewMessage(deps.db, push, fresh, draft, actor.userId, rooms.commanders, sent.pushTo).catch(
          () => undefined,
        )
      : undefined,
  ])
  const position = positions.get(record.id) ?? (await messageRepository.position(deps.db, record.id))
  const message: TMessageView = { ...draft, position: Number(position) }
  await deps.events.sent(rooms, fresh, message)
  await groupQuestionsService.publish(deps, written.question)
  return { message, created: true }
}
