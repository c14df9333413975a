import type { FastifyBaseLogger } from 'fastify'
import type { Db, DbOrTx } from '../../db/client'
import type { JobQueue } from '../../jobs/job-queue'
import { pushRepository } from './push.repository'
import { getOrCreateVapidKeys } from './vapid-keys'
import { type PushOutcome, type PushPayload, WebPushSender } from './web-push-sender'

export const PUSH_QUEUE = 'push.deliver'

interface PushJob {
  subscriptionId: string
  payload: PushPayload
}

export interface NotifyOptions {
  /** The author of what is notified: never notified of their own message. */
  excludeUserId?: string
  /** Makes the fan-out idempotent: the same key never queues a second push to one device. */
  dedupeKey: string
  tx?: DbOrTx
}

/**
 * Web Push through the job queue: one job per device, so a retry after a failure never
 * re-sends to devices that already got it.
 */
export class PushNotifier {
  private sender: Promise<WebPushSender> | undefined
  /** Outcomes of push deliveries since start (a retried job counts each attempt), read by GET /metrics. */
  readonly stats: Record<PushOutcome | 'failed', number> = { delivered: 0, gone: 0, refused: 0, failed: 0 }

  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    private readonly subject: string,
    /** Push-service hosts the server may post to (PUSH_ALLOWED_HOSTS). */
    private readonly allowedHosts: readonly string[],
    private readonly log?: FastifyBaseLogger,
  ) {}

  registerJobs(): void {
    this.jobs.register<PushJob>(PUSH_QUEUE, (job) => this.deliver(job))
  }

  async notifyUsers(userIds: string[], payload: PushPayload, opts: NotifyOptions): Promise<number> {
    const targets = [...new Set(userIds)].filter((id) => id !== opts.excludeUserId)
    const subscriptions = await pushRepository.listForUsers(opts.tx ?? this.db, targets)
    return this.jobs.enqueueMany<PushJob>(
      PUSH_QUEUE,
      subscriptions.map((sub) => ({
        payload: { subscriptionId: sub.id, payload },
        uniqueKey: `push:${opts.dedupeKey}:${sub.id}`,
      })),
      { maxAttempts: 6, ...(opts.tx ? { tx: opts.tx } : {}) },
    )
  }

  private async deliver(job: PushJob): Promise<void> {
    const sub = await pushRepository.get(this.db, job.subscriptionId)
    if (!sub) return // unsubscribed since: nothing to send
    this.sender ??= getOrCreateVapidKeys(this.db).then(
      (keys) => new WebPushSender(keys, this.subject, this.allowedHosts),
    )
    const sender = await this.sender
    let outcome: PushOutcome
    try {
      outcome = await sender.send(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        job.payload,
      )
    } catch (err) {
      this.stats.failed++
      await pushRepository.markFailed(this.db, sub.id)
      throw err
    }
    this.stats[outcome]++
    // The push service has the message: from here on a failure must not fail the job, or its
    // retry would buzz the device a second time. Losing this bookkeeping costs only a stale
    // "last delivered" date (or a dead subscription tried once more).
    try {
      // Unsubscribed, or not a push service at all: dropped, never retried.
      if (outcome === 'gone' || outcome === 'refused') await pushRepository.delete(this.db, sub.id)
      else await pushRepository.markDelivered(this.db, sub.id)
    } catch (err) {
      this.log?.warn({ err, subscriptionId: sub.id, outcome }, 'push sent, but its record was not updated')
    }
  }
}

/** VAPID needs a contact: the public https address when there is one, else a mailto. */
export const vapidSubject = (publicUrl: string) =>
  publicUrl.startsWith('https://') ? publicUrl : 'mailto:quantri@nhipcau.invalid'
