import type { TChannelPlatform } from '@common/schemas/channels'
import type { DbOrTx } from '../../../db/client'
import type { JobQueue } from '../../../jobs/job-queue'
import { type ConversationRow, conversationRepository } from '../conversation.repository'
import { messageRepository } from '../message.repository'
import type { MessagingDeps } from '../message.service'
import { pushNewMessage } from '../message-push'
import { presentMessage } from '../messaging.presenter'
import {
  type ChannelAccountRow,
  channelRepository,
  type ExternalContactRow,
  type InboundEventRow,
} from './channel.repository'
import type { InboundEvent } from './channel.types'
import { IMAGE_QUEUE, type ImageJob, outsideImages } from './channel-images.service'
import { channelLink, type LinkOutcome, linkCodeIn } from './channel-link.service'
import { PROFILE_QUEUE } from './channel-profile.service'
import { authorOf, routeContact, unitQueueConversation } from './contact-routing.service'

export const INBOUND_QUEUE = 'channels.inbound'
export const NOTICE_QUEUE = 'channels.notice'
/** The payload of an area answer: a quick reply or button carries AREA:<short code>. */
export const AREA_CHOICE_PREFIX = 'AREA:'
const BATCH = 100

export interface InboundDeps extends MessagingDeps {
  jobs: JobQueue
  /** The channel secret key: link codes are kept as HMACs under it. */
  key: Buffer
}

export interface NoticeJob {
  accountId: string
  contactId: string
  /** The area question, or the answer to a link code the contact sent (channels.link.chat.*). */
  notice: 'ask_area' | LinkOutcome
}

const platformNames: Record<TChannelPlatform, string> = { messenger: 'Messenger', zalo: 'Zalo' }
/** The answer to the area question routes the contact; it is not a message for the officer. */
const isContent = (e: InboundEvent) =>
  (e.kind === 'message' || e.kind === 'postback') && !isAreaChoice(e) && !linkCodeOf(e)
/** A message that is only a NhipCau link code: a credential, never filed as a message. */
const linkCodeOf = (e: InboundEvent) => (e.kind === 'message' ? linkCodeIn(e.text) : null)
const isAreaChoice = (e: InboundEvent) =>
  (e.kind === 'message' || e.kind === 'postback') && !!e.choice?.startsWith(AREA_CHOICE_PREFIX)
const areaCode = (e: InboundEvent) =>
  e.ref ?? (isAreaChoice(e) ? (e as { choice: string }).choice.slice(AREA_CHOICE_PREFIX.length) : null)

/** What a message from the platform becomes in the conversation. */
function messageOf(e: InboundEvent): {
  kind: 'text' | 'location'
  body: string
  payload: Record<string, unknown> | null
} {
  if (e.kind === 'postback') return { kind: 'text', body: e.text || e.choice, payload: null }
  if (e.kind !== 'message') return { kind: 'text', body: '', payload: null }
  const location = e.attachments.find((a) => a.type === 'location')
  if (location?.type === 'location')
    return {
      kind: 'location',
      body: e.text,
      payload: { lat: location.lat, lng: location.lng, label: location.label ?? '' },
    }
  const files = e.attachments.filter((a) => a.type !== 'location')
  const body =
    e.text ||
    files
      .map((a) => (a.type === 'image' ? '📷' : a.type === 'sticker' ? '🙂' : `📎 ${a.name ?? a.type}`))
      .join(' ')
  // Photos are copied into our storage by a job after the commit (channel-images.service.ts).
  return { kind: 'text', body, payload: files.length ? { channelAttachments: files } : null }
}

interface Created {
  conversationId: string
  messageId: string
  authorId: string
  /** Photos still on the platform's CDN: a job copies them here. */
  hasImages: boolean
}

/**
 * Inbound: a verified webhook delivery is stored first (one row per platform message id, so a
 * redelivery is dropped) and answered at once; the job queue then turns the account's stored events
 * into messages, oldest first, one account at a time, so each contact's messages keep their order.
 */
export const channelInbound = {
  async receive(deps: InboundDeps, account: ChannelAccountRow, events: InboundEvent[]): Promise<number> {
    const stored = await deps.db.transaction(async (tx) => {
      const n = await channelRepository.storeEvents(tx, account, events)
      await channelRepository.updateAccount(tx, account.id, { lastEventAt: new Date() })
      // In the same transaction: stored events always have a job that will process them.
      if (n > 0) await deps.jobs.enqueue(INBOUND_QUEUE, { accountId: account.id }, { tx })
      return n
    })
    return stored
  },

  /** Processes every pending event of the account; several jobs for one account simply find nothing left. */
  async processAccount(deps: InboundDeps, accountId: string): Promise<number> {
    let total = 0
    for (;;) {
      const created: Created[] = []
      const notices: NoticeJob[] = []
      const linked: string[] = []
      const n = await deps.db.transaction(async (tx) => {
        await channelRepository.lockAccount(tx, accountId)
        const account = await channelRepository.account(tx, accountId)
        if (!account) return 0
        const rows = await channelRepository.pendingEvents(tx, accountId, BATCH)
        for (const row of rows) await processEvent(tx, deps, account, row, { created, notices, linked })
        for (const c of created.filter((x) => x.hasImages))
          await deps.jobs.enqueue<ImageJob>(
            IMAGE_QUEUE,
            { messageId: c.messageId },
            { tx, uniqueKey: `channel-images:${c.messageId}` },
          )
        for (const notice of notices)
          await deps.jobs.enqueue(NOTICE_QUEUE, notice, {
            tx,
            // The area question once per contact; an answer to each link code the contact sends.
            ...(notice.notice === 'ask_area'
              ? { uniqueKey: `channel-notice:${notice.contactId}:ask_area` }
              : {}),
          })
        return rows.length
      })
      total += n
      for (const c of created) await publishCreated(deps, c)
      for (const id of new Set(linked)) await publishConversation(deps, id)
      if (n < BATCH) return total
    }
  },
}

interface Outputs {
  created: Created[]
  notices: NoticeJob[]
  /** Conversations a link code moved or re-owned. */
  linked: string[]
}

async function processEvent(
  tx: DbOrTx,
  { key, jobs }: Pick<InboundDeps, 'key' | 'jobs'>,
  account: ChannelAccountRow,
  row: InboundEventRow,
  { created, notices, linked }: Outputs,
) {
  const e = row.event as unknown as InboundEvent
  let contact = await channelRepository.contact(tx, account.id, e.userId)
  if (!contact) {
    // A placeholder name until the platform's profile API answers (a job: never in this transaction).
    contact = await channelRepository.insertContact(tx, {
      account,
      platformUserId: e.userId,
      displayName: `${platformNames[account.platform]} …${e.userId.slice(-4)}`,
    })
    await jobs.enqueue(
      PROFILE_QUEUE,
      { contactId: contact.id },
      { tx, uniqueKey: `channel-profile:${contact.id}` },
    )
  }
  if (e.kind === 'unfollow') return channelRepository.markEvents(tx, [row.id], 'ignored')
  const at = new Date(e.at)
  if (!contact.lastInboundAt || contact.lastInboundAt < at)
    contact = await channelRepository.updateContact(tx, contact.id, { lastInboundAt: at })

  let routedNow = false
  const linkCode = linkCodeOf(e)
  if (linkCode) {
    const result = await channelLink.redeemInChat(tx, key, account, contact, linkCode)
    contact = result.contact
    routedNow = result.routed
    linked.push(...result.conversationIds)
    notices.push({ accountId: account.id, contactId: contact.id, notice: result.outcome })
  }
  const code = areaCode(e)
  if (code && !contact.areaId) {
    const area = await channelRepository.areaUnder(tx, account.unitId, code)
    if (area) {
      const result = await routeContact(tx, contact, area)
      contact = result.contact
      linked.push(...result.conversationIds)
      routedNow = true
    }
  }

  if (!contact.areaId) {
    // The unit's queue until the person says where they live (asked once) or an officer files them.
    if (!contact.areaAskedAt) {
      contact = await channelRepository.updateContact(tx, contact.id, { areaAskedAt: new Date() })
      notices.push({ accountId: account.id, contactId: contact.id, notice: 'ask_area' })
    }
    if (isContent(e))
      await insertMessage(
        tx,
        await unitQueueConversation(tx, contact, account.platform),
        contact,
        e,
        account.platform,
        created,
      )
    await channelRepository.markEvents(tx, [row.id], isContent(e) ? 'processed' : 'ignored')
    return
  }

  const conversation = await conversationOf(tx, contact, account.platform)
  if (routedNow) {
    // Events held before contacts without an area had the unit's queue: filed now, in order.
    const held = await channelRepository.heldEvents(tx, account.id, e.userId)
    for (const h of held)
      await insertMessage(
        tx,
        conversation,
        contact,
        h.event as unknown as InboundEvent,
        account.platform,
        created,
      )
    await channelRepository.markEvents(
      tx,
      held.map((h) => h.id),
      'processed',
    )
  }
  if (isContent(e)) await insertMessage(tx, conversation, contact, e, account.platform, created)
  await channelRepository.markEvents(tx, [row.id], isContent(e) ? 'processed' : 'ignored')
}

async function conversationOf(tx: DbOrTx, contact: ExternalContactRow, platform: TChannelPlatform) {
  const areaId = contact.areaId!
  const existing = await conversationRepository.findDirect(tx, authorOf(contact), areaId)
  if (existing) return existing
  const area = (await conversationRepository.unit(tx, areaId))!
  return conversationRepository.insertDirect(tx, {
    residentId: authorOf(contact),
    areaId,
    areaPath: area.path,
    assigneeId: await conversationRepository.responsibleOfficer(tx, areaId),
    channel: platform,
  })
}

async function insertMessage(
  tx: DbOrTx,
  c: ConversationRow,
  contact: ExternalContactRow,
  e: InboundEvent,
  platform: TChannelPlatform,
  created: Created[],
) {
  const clientKey = `${platform}:${e.id}`
  await messageRepository.lockStream(tx)
  const authorId = authorOf(contact)
  if (await messageRepository.findByClientKey(tx, authorId, clientKey)) return
  const m = messageOf(e)
  const current = (await conversationRepository.get(tx, c.id))!
  const seq = await conversationRepository.nextSeq(tx, c.id)
  const row = await messageRepository.insert(tx, {
    conversationId: c.id,
    seq,
    authorId,
    kind: m.kind,
    body: m.body,
    payload: m.payload,
    clientKey,
  })
  await conversationRepository.update(tx, c.id, {
    awaitingSince: current.awaitingSince ?? new Date(),
    ...(current.status !== 'open' ? { status: 'open' as const, resolvedAt: null } : {}),
    // A linked resident's conversation: the answer goes where they wrote last.
    ...(current.channel !== platform ? { channel: platform } : {}),
  })
  await conversationRepository.upsertRead(tx, c.id, authorId, seq, seq)
  created.push({
    conversationId: c.id,
    messageId: row.id,
    authorId,
    hasImages: outsideImages(m.payload).length > 0,
  })
}

/** After the commit: a conversation that a link moved or re-owned, to the inbox and its people. */
async function publishConversation(deps: InboundDeps, conversationId: string) {
  const conversation = await conversationRepository.get(deps.db, conversationId)
  if (conversation) await deps.events.conversation(conversation)
}

/** After the commit: live to the inbox, and Web Push to the officer, as for a web resident's message. */
async function publishCreated(deps: InboundDeps, c: Created) {
  const record = (await messageRepository.view(deps.db, c.messageId))!
  const message = presentMessage(record, { canModerate: false })
  const conversation = (await conversationRepository.get(deps.db, c.conversationId))!
  await deps.events.message('message.created', conversation, message)
  await deps.events.conversation(conversation)
  if (deps.push)
    await pushNewMessage(deps.db, deps.push, conversation, message, c.authorId).catch(() => undefined)
}
