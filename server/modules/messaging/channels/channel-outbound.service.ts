import { translate } from '@common/i18n/messages'
import type { TMessageDelivery } from '@common/schemas/channels'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../../config'
import type { DbOrTx } from '../../../db/client'
import type { MessageAttachment } from '../../../db/schema/index'
import type { JobContext } from '../../../jobs/job-queue'
import type { Actor } from '../../../lib/actor'
import { conflict } from '../../../lib/errors'
import { sealSecret } from '../../../lib/secret-box'
import type { FileStorage } from '../../../storage/file-storage'
import { type ConversationRow, conversationRepository } from '../conversation.repository'
import { fileRepository } from '../file.repository'
import { messageRepository } from '../message.repository'
import { presentMessage } from '../messaging.presenter'
import { channelRepository } from './channel.repository'
import { ChannelSendError, type OutboundImage } from './channel.types'
import {
  ALERT_POST_QUEUE,
  ALERT_REACH_QUEUE,
  type AlertPostJob,
  type AlertReachJob,
  postAlert,
  readAlertReach,
} from './channel-alert-posts.service'
import { copyInboundImages, IMAGE_QUEUE, type ImageJob } from './channel-images.service'
import {
  AREA_CHOICE_PREFIX,
  channelInbound,
  INBOUND_QUEUE,
  type InboundDeps,
  NOTICE_QUEUE,
  type NoticeJob,
} from './channel-inbound.service'
import { fetchContactProfile, PROFILE_QUEUE, type ProfileJob } from './channel-profile.service'
import { type ChannelAdapters, openAccount } from './channel-registry'
import { refreshZaloToken } from './zalo-oauth'

export const DELIVER_QUEUE = 'channels.deliver'
/** Tries of one reply (backoff from the job queue: 2 s, 4 s, 8 s, …); then it shows as failed. */
export const DELIVERY_ATTEMPTS = 6

export const ZALO_REFRESH_QUEUE = 'channels.zalo-refresh'
/** Zalo access tokens live about 25 hours: refresh an hour before they expire. */
const REFRESH_AHEAD_MS = 3600_000

export interface ChannelDeps extends InboundDeps {
  key: Buffer
  /** The storage quotas an outside photo counts against (file-quota.ts). */
  config: Config
  adapters: ChannelAdapters
  zaloOAuthUrl: string
  log?: FastifyBaseLogger
  /** Where residents' Zalo / Messenger photos are copied (never hot-linked from the platform). */
  storage?: FileStorage
}

interface DeliverJob {
  messageId: string
}

type ReplyPart = { kind: 'text'; text: string } | { kind: 'photo'; file: MessageAttachment }

/**
 * What one reply sends, in order: its text (if any), then each photo. Other files (a PDF, a voice
 * message) have no send here yet: such a reply fails as refused rather than leaving without them.
 */
function replyParts(body: string, attachments: MessageAttachment[]): ReplyPart[] {
  const others = attachments.filter((a) => a.kind !== 'photo')
  if (others.length)
    throw new ChannelSendError(
      'channels.error.attachment_unsupported',
      false,
      `${others.length} non-photo file(s)`,
    )
  return [
    ...(body.trim() ? [{ kind: 'text' as const, text: body }] : []),
    ...attachments.map((file) => ({ kind: 'photo' as const, file })),
  ]
}

/**
 * The outbound half of the channel abstraction: the officer's reply to a Zalo or Messenger contact is
 * committed like any message, marked "pending", and sent from the job queue with retries; the result
 * shows on the message. The platform's reply window is checked before the message is accepted.
 */
export class ChannelGateway {
  constructor(private readonly deps: ChannelDeps) {}

  registerJobs() {
    const { jobs } = this.deps
    jobs.register<{ accountId: string }>(INBOUND_QUEUE, async (job) => {
      await channelInbound.processAccount(this.deps, job.accountId)
    })
    jobs.register<DeliverJob>(DELIVER_QUEUE, (job, ctx) => this.deliver(job, ctx))
    jobs.register<NoticeJob>(NOTICE_QUEUE, (job) => this.notice(job))
    jobs.register<{ accountId: string }>(ZALO_REFRESH_QUEUE, (job) => this.refreshZalo(job.accountId))
    jobs.register<ProfileJob>(PROFILE_QUEUE, (job) => fetchContactProfile(this.deps, job))
    jobs.register<ImageJob>(IMAGE_QUEUE, (job) => copyInboundImages(this.deps, job))
    jobs.register<AlertPostJob>(ALERT_POST_QUEUE, (job, ctx) => postAlert(this.deps, job, ctx))
    jobs.register<AlertReachJob>(ALERT_REACH_QUEUE, (job, ctx) => readAlertReach(this.deps, job, ctx))
  }

  /** Schedules the OA token's refresh an hour before it expires (one job per expiry). */
  async scheduleRefresh(accountId: string, expiresAt: Date, tx?: DbOrTx) {
    await this.deps.jobs.enqueue(
      ZALO_REFRESH_QUEUE,
      { accountId },
      {
        runAt: new Date(Math.max(Date.now(), expiresAt.getTime() - REFRESH_AHEAD_MS)),
        uniqueKey: `zalo-refresh:${accountId}:${expiresAt.getTime()}`,
        maxAttempts: 8,
        ...(tx ? { tx } : {}),
      },
    )
  }

  /** OAuth v4 refresh: the new access and refresh tokens are sealed at once; the next refresh is queued. */
  async refreshZalo(accountId: string) {
    const { db, key } = this.deps
    const row = await channelRepository.account(db, accountId)
    if (row?.platform !== 'zalo' || row.status !== 'active') return
    const account = openAccount(key, row)
    try {
      const fresh = await refreshZaloToken(this.deps.zaloOAuthUrl, account)
      const secrets = { ...account.secrets, accessToken: fresh.accessToken, refreshToken: fresh.refreshToken }
      await db.transaction(async (tx) => {
        await channelRepository.updateAccount(tx, accountId, {
          secrets: sealSecret(key, secrets),
          tokenExpiresAt: fresh.expiresAt,
          lastError: null,
          updatedAt: new Date(),
        })
        await this.scheduleRefresh(accountId, fresh.expiresAt, tx)
      })
    } catch (err) {
      if (err instanceof ChannelSendError && !err.retryable) {
        await channelRepository.updateAccount(db, accountId, { lastError: err.errorKey })
        return
      }
      throw err
    }
  }

  /**
   * Called in the send transaction before the insert: null for a web conversation or an internal note;
   * otherwise the delivery to record on the message, or a conflict when the platform's window is closed.
   */
  async beforeReply(
    tx: DbOrTx,
    c: ConversationRow,
    actor: Actor,
    internal: boolean,
  ): Promise<TMessageDelivery | null> {
    if (c.channel === 'web' || internal || !c.residentId || actor.userId === c.residentId) return null
    const contact = await channelRepository.contactByUser(tx, c.residentId, c.channel)
    const adapter = this.deps.adapters[c.channel]
    if (!contact || !adapter) throw conflict('channels.not_connected')
    if (!adapter.replyWindow(contact.lastInboundAt, Date.now()).open)
      throw conflict(`channels.window_closed.${c.channel}`)
    return { channel: c.channel, status: 'pending', errorKey: null, attempts: 0 }
  }

  /** In the same transaction as the message: the job exists exactly when the message does. */
  async afterInsert(tx: DbOrTx, messageId: string, retry = 0) {
    await this.deps.jobs.enqueue<DeliverJob>(
      DELIVER_QUEUE,
      { messageId },
      { tx, maxAttempts: DELIVERY_ATTEMPTS, uniqueKey: `channel-deliver:${messageId}:${retry}` },
    )
  }

  private async deliver(job: DeliverJob, ctx: JobContext) {
    const { db, key, adapters } = this.deps
    const message = await messageRepository.get(db, job.messageId)
    if (!message?.delivery || message.delivery.status === 'sent' || message.deletedAt) return
    // An answer by SMS is the SMS module's (server/modules/sms): never sent through a platform here.
    const platform = message.delivery.channel
    if (platform === 'sms') return
    const c = (await conversationRepository.get(db, message.conversationId))!
    const contact = c.residentId
      ? await channelRepository.contactByUser(db, c.residentId, platform)
      : undefined
    const accountRow = contact ? await channelRepository.account(db, contact.accountId) : undefined
    const adapter = accountRow ? adapters[accountRow.platform] : undefined
    let outcome: Pick<TMessageDelivery, 'status' | 'errorKey'>
    try {
      if (!contact || !accountRow || !adapter || accountRow.status !== 'active')
        throw new ChannelSendError('channels.error.not_connected', false, 'account missing or disabled')
      const window = adapter.replyWindow(contact.lastInboundAt, Date.now())
      const account = openAccount(key, accountRow)
      // The text, then each photo: one send each (Messenger takes text or one attachment per message).
      // The parts the platform already took are recorded, so a retry sends only the rest.
      const parts = replyParts(message.body, message.attachments)
      let progress = message.delivery
      for (let i = progress.sentParts ?? 0; i < parts.length; i++) {
        const part = parts[i]!
        if (part.kind === 'text')
          await adapter.send(account, contact.platformUserId, { text: part.text }, window)
        else await adapter.sendImage(account, contact.platformUserId, await this.readPhoto(part.file), window)
        progress = { ...progress, sentParts: i + 1 }
        await messageRepository.recordDeliveryProgress(db, message.id, progress)
      }
      outcome = { status: 'sent', errorKey: null }
    } catch (err) {
      const e =
        err instanceof ChannelSendError
          ? err
          : new ChannelSendError('channels.error.temporary', true, String(err))
      this.deps.log?.warn(
        { messageId: message.id, attempt: ctx.attempt, err: e.message },
        'channel delivery failed',
      )
      // Retryable and tries left: back to the queue (its backoff); the message stays "pending".
      if (e.retryable && ctx.attempt < DELIVERY_ATTEMPTS) throw e
      if (accountRow) await channelRepository.updateAccount(db, accountRow.id, { lastError: e.errorKey })
      outcome = { status: 'failed', errorKey: e.errorKey }
    }
    const latest = (await messageRepository.get(db, message.id))?.delivery ?? message.delivery
    await this.setDelivery(c, message.id, { ...latest, ...outcome, attempts: ctx.attempt })
  }

  /** A photo of the reply as stored by the upload path (already re-encoded without metadata). */
  private async readPhoto(attachment: MessageAttachment): Promise<OutboundImage> {
    const file = await fileRepository.get(this.deps.db, attachment.fileId)
    if (!file || !this.deps.storage)
      throw new ChannelSendError('channels.error.refused', false, `photo ${attachment.fileId} not stored`)
    const chunks: Buffer[] = []
    for await (const chunk of await this.deps.storage.get(file.storageKey)) chunks.push(Buffer.from(chunk))
    return { data: Buffer.concat(chunks), mime: file.mime, name: attachment.name || 'anh.jpg' }
  }

  /** Records the outcome on the message (a new stream position, so every open inbox sees it). */
  async setDelivery(c: ConversationRow, messageId: string, delivery: TMessageDelivery) {
    const { db, events } = this.deps
    await db.transaction(async (tx) => {
      await messageRepository.lockStream(tx)
      await messageRepository.change(tx, messageId, { delivery })
    })
    const record = (await messageRepository.view(db, messageId))!
    await events.message('message.updated', c, presentMessage(record, { canModerate: false }))
  }

  /** Messages to the contact that are not an officer's reply: the area question, answers to link codes. */
  private async notice(job: NoticeJob) {
    const { db, key, adapters } = this.deps
    const accountRow = await channelRepository.account(db, job.accountId)
    const adapter = accountRow ? adapters[accountRow.platform] : undefined
    const contact = await channelRepository.contactById(db, job.contactId)
    if (!accountRow || !adapter || !contact) return
    const areas = job.notice === 'ask_area' ? await channelRepository.areasUnder(db, accountRow.unitId) : []
    // The answer to a link code the contact sent: plain text (channels.link.chat.<outcome>).
    const message =
      job.notice === 'ask_area'
        ? {
            text: translate('vi', 'channels.ask_area'),
            choices: areas.map((a) => ({ title: a.name, payload: `${AREA_CHOICE_PREFIX}${a.slug}` })),
          }
        : { text: translate('vi', `channels.link.chat.${job.notice}`) }
    try {
      await adapter.send(
        openAccount(key, accountRow),
        contact.platformUserId,
        message,
        adapter.replyWindow(contact.lastInboundAt, Date.now()),
      )
    } catch (err) {
      if (err instanceof ChannelSendError && !err.retryable) {
        this.deps.log?.warn({ accountId: accountRow.id, err: err.message }, 'area question not sent')
        return
      }
      throw err
    }
  }
}
