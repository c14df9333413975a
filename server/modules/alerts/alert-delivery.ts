import type { Room, TRealtimeEvent } from '@common/events'
import { sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../config'
import type { Db, DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import type { JobQueue } from '../../jobs/job-queue'
import { type EventBus, publishAfterCommit } from '../../realtime/event-bus'
import { conversationRepository } from '../messaging/conversation.repository'
import { messageRepository } from '../messaging/message.repository'
import { MessagingEvents } from '../messaging/messaging.events'
import { presentMessage } from '../messaging/messaging.presenter'
import type { PushNotifier } from '../notifications/push-notifier'
import { alertRecipientsRepository } from './alert-recipients.repository'
import { alertPaths } from './alerts.presenter'
import { type AlertRow, alertsRepository } from './alerts.repository'

export const ALERT_PUSH_QUEUE = 'alerts.push'
export const ALERT_GROUP_POST_QUEUE = 'alerts.group_post'

/**
 * How long a first Alert waits before Web Push goes to those whose device has not confirmed
 * real-time delivery: connected residents confirm within a second, so they get no duplicate buzz.
 * Tests set it to 0; the benchmark measures with the default.
 */
export const alertDeliverySettings = { pushGraceMs: 3000, pushBatchSize: 1000, roomsPerEvent: 1000 }

export interface AlertDeliveryDeps {
  db: Db
  bus: EventBus
  jobs: JobQueue
  config: Config
  notifier: PushNotifier
  log?: FastifyBaseLogger
}

interface PushJob {
  alertId: string
  version: number
  msgType: 'Alert' | 'Update' | 'Cancel'
}
interface GroupPostJob {
  alertId: string
  version: number
}

const chunk = <T>(xs: T[], n: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

/** Rooms that reach everyone an alert addressed: the area rooms under its targets, plus group-only recipients. */
export async function recipientRooms(db: Db, alertId: string): Promise<Room[]> {
  const targets = await alertsRepository.targets(db, alertId)
  const unitIds = await alertRecipientsRepository.unitIdsUnder(
    db,
    targets.map((t) => t.path),
  )
  const extra = await alertRecipientsRepository.groupOnlyUserIds(db, alertId)
  return [...unitIds.map((id) => `area:${id}` as Room), ...extra.map((id) => `user:${id}` as Room)]
}

/** Web Push text: short, in Vietnamese (the recipients' default), pointing to the alert page. */
function pushPayload(a: AlertRow, msgType: PushJob['msgType']) {
  const prefix = msgType === 'Cancel' ? 'Đã hủy: ' : msgType === 'Update' ? 'Cập nhật: ' : ''
  const body = (a.outcome ?? a.description).slice(0, 180)
  return { title: `${prefix}${a.headline}`.slice(0, 120), body, url: `/alerts/${a.id}`, tag: `alert-${a.id}` }
}

export class AlertDelivery {
  constructor(private readonly deps: AlertDeliveryDeps) {}

  registerJobs(): void {
    this.deps.jobs.register<PushJob>(ALERT_PUSH_QUEUE, (job) => this.push(job))
    this.deps.jobs.register<GroupPostJob>(ALERT_GROUP_POST_QUEUE, (job) => this.postToGroups(job))
  }

  /** Queued inside the publishing transaction, so delivery work exists only if the alert committed. */
  async enqueue(tx: DbOrTx, a: AlertRow, msgType: PushJob['msgType']) {
    const runAt = new Date(Date.now() + (msgType === 'Alert' ? alertDeliverySettings.pushGraceMs : 0))
    await this.deps.jobs.enqueue<PushJob>(
      ALERT_PUSH_QUEUE,
      { alertId: a.id, version: a.version, msgType },
      { tx, runAt, uniqueKey: `alert-push:${a.id}:${a.version}`, maxAttempts: 8 },
    )
    await this.deps.jobs.enqueue<GroupPostJob>(
      ALERT_GROUP_POST_QUEUE,
      { alertId: a.id, version: a.version },
      { tx, uniqueKey: `alert-groups:${a.id}:${a.version}`, maxAttempts: 8 },
    )
  }

  /** After commit: one event per chunk of rooms; the hub gives each socket an event once. */
  async announce(a: AlertRow, msgType: PushJob['msgType']): Promise<void> {
    const rooms = await recipientRooms(this.deps.db, a.id)
    const facts = {
      at: new Date().toISOString(),
      alertId: a.id,
      version: a.version,
      kind: a.kind,
      severity: a.severity,
      headline: a.headline,
      state: a.state,
    }
    const staff: Room[] = [`alert:${a.id}`, `unit:${a.issuingUnitId}`, `user:${a.authorId}`]
    for (const part of chunk([...rooms, ...staff], alertDeliverySettings.roomsPerEvent)) {
      const event: TRealtimeEvent =
        msgType === 'Alert'
          ? { type: 'alert.published', rooms: part as [Room, ...Room[]], ...facts }
          : { type: 'alert.changed', rooms: part as [Room, ...Room[]], msgType, ...facts }
      await this.publish(event)
    }
  }

  warn(err: unknown, message: string): void {
    this.deps.log?.warn({ err }, message)
  }

  publish(event: TRealtimeEvent): Promise<void> {
    return publishAfterCommit(this.deps.bus, event, this.deps.log)
  }

  /** Web Push, in batches; a retried job skips people already pushed this version. */
  private async push(job: PushJob): Promise<void> {
    const a = await alertsRepository.get(this.deps.db, job.alertId)
    if (!a || a.version < job.version) return
    const payload = pushPayload(a, job.msgType)
    let after: string | null = null
    for (;;) {
      const batch = await alertRecipientsRepository.pushBatch(this.deps.db, a.id, job.version, {
        onlyUndelivered: job.msgType === 'Alert',
        afterUserId: after,
        limit: alertDeliverySettings.pushBatchSize,
      })
      if (batch.length === 0) break
      await this.deps.notifier.notifyUsers(batch, payload, {
        dedupeKey: `alert:${a.id}:v${job.version}`,
        excludeUserId: a.authorId,
      })
      await alertRecipientsRepository.markPushed(this.deps.db, a.id, batch, job.version)
      after = batch[batch.length - 1]!
    }
  }

  /**
   * A post into each group in scope, by the alert's author, as a system message carrying the
   * alert id. The alert was approved for this scope, so no group posting rule stands in the way.
   * The client key makes a retried job post once.
   */
  private async postToGroups(job: GroupPostJob): Promise<void> {
    const a = await alertsRepository.get(this.deps.db, job.alertId)
    if (!a) return
    const targets = await alertsRepository.targets(this.deps.db, a.id)
    if (targets.length === 0) return
    const conversations = await queryRows<{ id: string }>(
      this.deps.db,
      sql`select c.id from conversations c join groups g on g.id = c.group_id
           where g.archived_at is null and g.kind = 'residential_area' and (${sql.join(
             targets.map((t) => sql`g.unit_path like ${`${t.path}%`}`),
             sql` or `,
           )})`,
    )
    const events = new MessagingEvents(this.deps.db, this.deps.bus)
    const prefix = a.lastMsgType === 'Cancel' ? '[Đã hủy] ' : a.lastMsgType === 'Update' ? '[Cập nhật] ' : ''
    const body = `${prefix}${a.headline}\n${(a.outcome ?? a.description).slice(0, 600)}\n${this.deps.config.PUBLIC_URL}${alertPaths.share(a.id)}`
    for (const { id } of conversations) {
      const clientKey = `alert:${a.id}:v${job.version}:${id}`
      const messageId = await this.deps.db.transaction(async (tx) => {
        await messageRepository.lockStream(tx)
        if (await messageRepository.findByClientKey(tx, a.authorId, clientKey)) return null
        const seq = await conversationRepository.nextSeq(tx, id)
        const row = await messageRepository.insert(tx, {
          conversationId: id,
          seq,
          authorId: a.authorId,
          kind: 'system',
          body,
          payload: { alertId: a.id, version: job.version, kind: a.kind },
          clientKey,
        })
        return row.id
      })
      if (!messageId) continue
      const conversation = await conversationRepository.get(this.deps.db, id)
      const record = await messageRepository.view(this.deps.db, messageId)
      if (conversation && record)
        await events.message('message.created', conversation, presentMessage(record, { canModerate: false }))
    }
  }
}
