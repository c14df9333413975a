import type { FastifyBaseLogger } from 'fastify'
import type { Db, DbOrTx } from '../../db/client'
import type { BatchJobResult, JobQueue } from '../../jobs/job-queue'
import { pushRepository } from './push.repository'
import { getOrCreateVapidKeys } from './vapid-keys'
import {
  type PushOutcome,
  type PushPayload,
  type SendResult,
  WebPushSender,
  type WebPushSenderOptions,
} from './web-push-sender'

export const PUSH_QUEUE = 'push.deliver'
/** Push jobs claimed together: one read of their subscriptions, one write per kind of outcome. */
const PUSH_BATCH_SIZE = 200
/**
 * Push batches in flight per instance: the next batch is claimed while others send, so the
 * sender's requests (at most `maxInFlight`, 256) never wait on a claim or on the slowest answer
 * of a batch. 4 × 200 keeps it full; more would only hold jobs other instances could send.
 */
const PUSH_BATCHES_IN_FLIGHT = 4

interface PushJob {
  subscriptionId: string
  payload: PushPayload
  /** A push sent but never answered is sent once more (`NotifyOptions.resendUnconfirmed`); false once it was. */
  resendUnconfirmed?: boolean
}

export interface NotifyOptions {
  /** The author of what is notified: never notified of their own message. */
  excludeUserId?: string
  /** Makes the fan-out idempotent: the same key never queues a second push to one device. */
  dedupeKey: string
  /**
   * For alerts, where a missed push costs more than a repeated one: a push whose whole request
   * reached the service but got no answer (`unconfirmed`) is sent once more, never twice. Only with a
   * `tag`: both copies carry the same Topic (the service keeps the newest undelivered one) and the
   * same notification tag (the device shows the second in place of the first, without a buzz).
   */
  resendUnconfirmed?: boolean
  tx?: DbOrTx
}

/**
 * Web Push through the job queue: one job per device, so a retry after a failure never
 * re-sends to devices that already got it. Jobs are claimed and handled in batches: one read of
 * their subscriptions, the sends in flight together, one write per kind of outcome. A push the
 * service may have accepted (unconfirmed) is not sent again, except once for alerts
 * (`resendUnconfirmed`), whose second copy replaces the first (same Topic and tag).
 */
export class PushNotifier {
  private sender: Promise<WebPushSender> | undefined
  /** Outcomes of push deliveries since start (a retried job counts each attempt), read by GET /metrics. */
  readonly stats: Record<PushOutcome, number> = {
    delivered: 0,
    gone: 0,
    refused: 0,
    unconfirmed: 0,
    deferred: 0,
    failed: 0,
  }
  /** Unconfirmed pushes queued to be sent once more (`NotifyOptions.resendUnconfirmed`). */
  resentUnconfirmed = 0

  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    private readonly subject: string,
    /** Push-service hosts the server may post to (PUSH_ALLOWED_HOSTS). */
    private readonly allowedHosts: readonly string[],
    private readonly log?: FastifyBaseLogger,
    private readonly senderOptions: WebPushSenderOptions = {},
  ) {}

  registerJobs(): void {
    this.jobs.registerBatch<PushJob>(PUSH_QUEUE, (batch) => this.deliver(batch.map((j) => j.payload)), {
      batchSize: PUSH_BATCH_SIZE,
      concurrency: PUSH_BATCHES_IN_FLIGHT,
    })
  }

  async notifyUsers(userIds: string[], payload: PushPayload, opts: NotifyOptions): Promise<number> {
    const targets = [...new Set(userIds)].filter((id) => id !== opts.excludeUserId)
    const subscriptions = await pushRepository.listForUsers(opts.tx ?? this.db, targets)
    return this.jobs.enqueueMany<PushJob>(
      PUSH_QUEUE,
      subscriptions.map((sub) => ({
        payload: {
          subscriptionId: sub.id,
          payload,
          ...(opts.resendUnconfirmed && payload.tag ? { resendUnconfirmed: true } : {}),
        },
        uniqueKey: `push:${opts.dedupeKey}:${sub.id}`,
      })),
      { maxAttempts: 6, ...(opts.tx ? { tx: opts.tx } : {}) },
    )
  }

  /** Closes the sender's pooled connections (the server is stopping). */
  async close(): Promise<void> {
    const sender = await this.sender?.catch(() => undefined)
    sender?.close()
  }

  private getSender(): Promise<WebPushSender> {
    this.sender ??= getOrCreateVapidKeys(this.db).then(
      (keys) => new WebPushSender(keys, this.subject, this.allowedHosts, this.senderOptions),
      (err) => {
        this.sender = undefined // a database hiccup must not disable push until restart
        throw err
      },
    )
    return this.sender
  }

  private async deliver(jobs: PushJob[]): Promise<BatchJobResult[]> {
    const ids = [...new Set(jobs.map((j) => j.subscriptionId))]
    const subscriptions = new Map((await pushRepository.getMany(this.db, ids)).map((s) => [s.id, s]))
    const sender = await this.getSender()
    const sent = await Promise.all(
      jobs.map(async (job): Promise<SendResult | undefined> => {
        const sub = subscriptions.get(job.subscriptionId)
        if (!sub) return undefined // unsubscribed since: nothing to send
        return sender.send(
          { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
          job.payload,
        )
      }),
    )
    const byOutcome = (...outcomes: PushOutcome[]) =>
      jobs.filter((_, i) => outcomes.includes(sent[i]?.outcome as PushOutcome)).map((j) => j.subscriptionId)
    for (const result of sent) if (result) this.stats[result.outcome]++
    // The push service has the message: from here on a failure must not fail the job, or its
    // retry would buzz the device a second time. Losing this bookkeeping costs only a stale
    // "last delivered" date (or a dead subscription tried once more).
    await this.record('delivered', byOutcome('delivered'), pushRepository.markDelivered)
    // Unsubscribed, or not a push service at all: dropped, never retried.
    await this.record('gone', byOutcome('gone', 'refused'), pushRepository.deleteMany)
    await this.record('failed', byOutcome('failed'), pushRepository.markFailed)
    return sent.map((result, i): BatchJobResult => {
      const job = jobs[i]!
      if (result?.outcome === 'deferred') return { status: 'deferred', until: result.until }
      if (result?.outcome === 'unconfirmed' && job.resendUnconfirmed) {
        // At once, through the queue: the retry knows (its payload says) that this was the one resend.
        this.resentUnconfirmed++
        return {
          status: 'failed',
          error: new Error('push sent but not answered: sending it once more, with the same Topic'),
          retryAt: new Date(),
          payload: { ...job, resendUnconfirmed: false } satisfies PushJob,
        }
      }
      if (result?.outcome === 'failed')
        return {
          status: 'failed',
          error: result.error,
          ...(result.retryAt ? { retryAt: result.retryAt } : {}),
        }
      return { status: 'done' }
    })
  }

  private async record(
    outcome: string,
    ids: string[],
    write: (db: Db, ids: string[]) => Promise<unknown>,
  ): Promise<void> {
    if (ids.length === 0) return
    try {
      await write(this.db, ids)
    } catch (err) {
      this.log?.warn({ err, outcome }, 'push sent, but its record was not updated')
    }
  }
}

/** VAPID needs a contact: the public https address when there is one, else a mailto. */
export const vapidSubject = (publicUrl: string) =>
  publicUrl.startsWith('https://') ? publicUrl : 'mailto:quantri@nhipcau.invalid'
