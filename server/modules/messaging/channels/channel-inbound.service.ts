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

export const INBOUND_QUEUE = 'channels.inbound'
export const NOTICE_QUEUE = 'channels.notice'
/** The payload of an area answer: a quick reply or button carries AREA:<short code>. */
export const AREA_CHOICE_PREFIX = 'AREA:'
const BATCH = 100

export interface InboundDeps extends MessagingDeps {
  jobs: JobQueue
}

export interface NoticeJob {
  accountId: string
  contactId: string
  notice: 'ask_area'
}

const platformNames: Record<TChannelPlatform, string> = { messenger: 'Messenger', zalo: 'Zalo' }
/** The answer to the area question routes the contact; it is not a message for the officer. */
const isContent = (e: InboundEvent) => (e.kind === 'message' || e.kind === 'postback') && !isAreaChoice(e)
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
  // Attachments stay links on the platform's CDN for now (see docs/channels.md: not yet copied here).
  return { kind: 'text', body, payload: files.length ? { channelAttachments: files } : null }
}

interface Created {
  conversationId: string
  messageId: string
  authorId: string
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
      const n = await deps.db.transaction(async (tx) => {
        await channelRepository.lockAccount(tx, accountId)
        const account = await channelRepository.account(tx, accountId)
        if (!account) return 0
        const rows = await channelRepository.pendingEvents(tx, accountId, BATCH)
        for (const row of rows) await processEvent(tx, account, row, created, notices)
        for (const notice of notices)
          await deps.jobs.enqueue(NOTICE_QUEUE, notice, {
            tx,
            uniqueKey: `channel-notice:${notice.contactId}:${notice.notice}`,
          })
        return rows.length
      })
      total += n
      for (const c of created) await publishCreated(deps, c)
      if (n < BATCH) return total
    }
  },
}

async function processEvent(
  tx: DbOrTx,
  account: ChannelAccountRow,
  row: InboundEventRow,
  created: Created[],
  notices: NoticeJob[],
) {
  const e = row.event as unknown as InboundEvent
  let contact =
    (await channelRepository.contact(tx, account.id, e.userId)) ??
    (await channelRepository.insertContact(tx, {
      account,
      platformUserId: e.userId,
      displayName: `${platformNames[account.platform]} …${e.userId.slice(-4)}`,
    }))
  if (e.kind === 'unfollow') return channelRepository.markEvents(tx, [row.id], 'ignored')
  const at = new Date(e.at)
  if (!contact.lastInboundAt || contact.lastInboundAt < at)
    contact = await channelRepository.updateContact(tx, contact.id, { lastInboundAt: at })

  let routedNow = false
  const code = areaCode(e)
  if (code && !contact.areaId) {
    const area = await channelRepository.areaUnder(tx, account.unitId, code)
    if (area) {
      contact = await channelRepository.updateContact(tx, contact.id, { areaId: area.id })
      routedNow = true
    }
  }

  if (!contact.areaId) {
    // Kept until the person says where they live; asked once.
    await channelRepository.markEvents(tx, [row.id], isContent(e) ? 'held' : 'ignored')
    if (!contact.areaAskedAt) {
      await channelRepository.updateContact(tx, contact.id, { areaAskedAt: new Date() })
      notices.push({ accountId: account.id, contactId: contact.id, notice: 'ask_area' })
    }
    return
  }

  const conversation = await conversationOf(tx, contact, account.platform)
  if (routedNow) {
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
  const existing = await conversationRepository.findDirect(tx, contact.userId, areaId)
  if (existing) return existing
  const area = (await conversationRepository.unit(tx, areaId))!
  return conversationRepository.insertDirect(tx, {
    residentId: contact.userId,
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
  if (await messageRepository.findByClientKey(tx, contact.userId, clientKey)) return
  const m = messageOf(e)
  const current = (await conversationRepository.get(tx, c.id))!
  const seq = await conversationRepository.nextSeq(tx, c.id)
  const row = await messageRepository.insert(tx, {
    conversationId: c.id,
    seq,
    authorId: contact.userId,
    kind: m.kind,
    body: m.body,
    payload: m.payload,
    clientKey,
  })
  await conversationRepository.update(tx, c.id, {
    awaitingSince: current.awaitingSince ?? new Date(),
    ...(current.status !== 'open' ? { status: 'open' as const, resolvedAt: null } : {}),
  })
  await conversationRepository.upsertRead(tx, c.id, contact.userId, seq, seq)
  created.push({ conversationId: c.id, messageId: row.id, authorId: contact.userId })
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
