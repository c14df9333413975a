import type { Room, TRealtimeEvent } from '@common/events'
import { translate } from '@common/i18n/messages'
import type { TGroupAlertPost } from '@common/schemas/alerts'
import { sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../config'
import type { Db, DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { underAnyPath } from '../../db/unit-path-sql'
import type { JobQueue } from '../../jobs/job-queue'
import { type EventBus, publishAfterCommit } from '../../realtime/event-bus'
import { queueAlertPosts } from '../messaging/channels/channel-alert-posts.service'
import { conversationRepository } from '../messaging/conversation.repository'
import { messageRepository } from '../messaging/message.repository'
import { MessagingEvents } from '../messaging/messaging.events'
import { presentMessage } from '../messaging/messaging.presenter'
import type { PushNotifier } from '../notifications/push-notifier'
import { SMS_ALERT_QUEUE, type SmsAlertJob } from '../sms/sms-alerts.service'
import { alertRecipientsRepository } from './alert-recipients.repository'
import { alertPaths } from './alerts.presenter'
import { type AlertRow, alertsRepository } from './alerts.repository'

export const ALERT_PUSH_QUEUE = 'alerts.push'
export const ALERT_RECIPIENTS_QUEUE = 'alerts.recipients'
export const ALERT_GROUP_POST_QUEUE = 'alerts.group_post'

/** Recipient rows written at once from which the table's statistics are refreshed at once. */
const ANALYZE_AFTER_RECIPIENTS = 10_000

/**
 * How long a first Alert waits before Web Push goes to those whose device has not confirmed
 * real-time delivery: connected residents confirm within a second, so they get no duplicate buzz.
 * Tests set it to 0; the benchmark measures with the default.
 */
export const alertDeliverySettings = {
  pushGraceMs: 3000,
  pushBatchSize: 1000,
  roomsPerEvent: 1000,
  /** Areas whose residents' recipient rows are written and committed together. */
  recipientAreasPerBatch: 100,
}

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
interface RecipientsJob {
  alertId: string
  version: number
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
  const paths = (await alertsRepository.targets(db, alertId)).map((t) => t.path)
  const [unitIds, extra] = await Promise.all([
    alertRecipientsRepository.unitIdsUnder(db, paths),
    alertRecipientsRepository.groupOnlyUserIds(db, paths),
  ])
  return [...unitIds.map((id) => `area:${id}` as Room), ...extra.map((id) => `user:${id}` as Room)]
}

/** Web Push text: short, in Vietnamese (the recipients' default), pointing to the alert page. */
function pushPayload(a: AlertRow, msgType: PushJob['msgType'], news: string) {
  const title =
    msgType === 'Alert'
      ? a.headline
      : translate('vi', msgType === 'Cancel' ? 'alerts.push.cancel' : 'alerts.push.update', {
          headline: a.headline,
        })
  const body = news.slice(0, 180)
  return { title: title.slice(0, 120), body, url: `/alerts/${a.id}`, tag: `alert-${a.id}` }
}

/**
 * What a message of this version tells residents: an update's own words (the description stays as
 * it was published), else the outcome of a closed alert, else the description.
 */
/** What a version said, and as what: a group post made late still speaks for its own version. */
async function versionOf(db: DbOrTx, a: AlertRow, version: number) {
  const m = (await alertsRepository.messages(db, a.id)).find((x) => x.version === version)
  const news = version > 1 && m?.note ? m.note : (a.outcome ?? a.description)
  return { msgType: m?.msgType ?? a.lastMsgType ?? 'Alert', news }
}

/**
 * The first line of a post in a group or on the Page: the headline, marked "[Cập nhật]" / "[Đã hủy]"
 * for an update or the cancellation. In Vietnamese, the residents' language (common/i18n).
 */
export function postTitle(a: Pick<AlertRow, 'headline'>, msgType: PushJob['msgType']): string {
  if (msgType === 'Alert') return a.headline
  return translate('vi', msgType === 'Cancel' ? 'alerts.post.cancel' : 'alerts.post.update', {
    headline: a.headline,
  })
}

export class AlertDelivery {
  constructor(private readonly deps: AlertDeliveryDeps) {}

  registerJobs(): void {
    this.deps.jobs.register<PushJob>(ALERT_PUSH_QUEUE, (job) => this.push(job))
    this.deps.jobs.register<RecipientsJob>(ALERT_RECIPIENTS_QUEUE, (job) => this.writeRecipients(job))
    this.deps.jobs.register<GroupPostJob>(ALERT_GROUP_POST_QUEUE, (job) => this.postToGroups(job))
  }

  /**
   * Queued inside the publishing transaction, so delivery work exists only if the alert committed.
   * A first publication queues the recipient rows instead of its push and SMS: both read those
   * rows, so the job that writes them queues them.
   */
  async enqueue(tx: DbOrTx, a: AlertRow, msgType: PushJob['msgType']) {
    if (msgType === 'Alert')
      await this.deps.jobs.enqueue<RecipientsJob>(
        ALERT_RECIPIENTS_QUEUE,
        { alertId: a.id, version: a.version },
        { tx, uniqueKey: `alert-recipients:${a.id}`, maxAttempts: 8 },
      )
    else await this.enqueuePush(tx, a.id, a.version, msgType, new Date())
    await this.deps.jobs.enqueue<GroupPostJob>(
      ALERT_GROUP_POST_QUEUE,
      { alertId: a.id, version: a.version },
      { tx, uniqueKey: `alert-groups:${a.id}:${a.version}`, maxAttempts: 8 },
    )
    // On the unit's Facebook Page, if anyone may see it (CAP scope Public): the alert once, then each
    // update and the cancellation once, as their own posts under the same share link.
    if (a.capScope === 'Public') {
      const message =
        msgType === 'Alert'
          ? [a.headline, a.description, a.instruction, a.contact].filter(Boolean).join('\n\n')
          : `${postTitle(a, msgType)}\n\n${(await versionOf(tx, a, a.version)).news}`
      await queueAlertPosts(this.deps.jobs, tx, {
        id: a.id,
        issuingUnitId: a.issuingUnitId,
        version: a.version,
        msgType,
        message,
        link: `${this.deps.config.PUBLIC_URL}${alertPaths.share(a.id)}`,
      })
    }
  }

  private enqueuePush(
    tx: DbOrTx,
    alertId: string,
    version: number,
    msgType: PushJob['msgType'],
    runAt: Date,
  ) {
    return this.deps.jobs.enqueue<PushJob>(
      ALERT_PUSH_QUEUE,
      { alertId, version, msgType },
      { tx, runAt, uniqueKey: `alert-push:${alertId}:${version}`, maxAttempts: 8 },
    )
  }

  /**
   * One row per person reached, written after the alert went out (50,000 rows take seconds; the
   * connected residents had the event at once). Then the push to those whose device has not
   * confirmed, a grace period after publication.
   */
  private async writeRecipients(job: RecipientsJob): Promise<void> {
    const { db } = this.deps
    const a = await alertsRepository.get(db, job.alertId)
    const publishedAt = a?.publishedAt
    if (!a || !publishedAt) return
    const paths = (await alertsRepository.targets(db, a.id)).map((t) => t.path)
    // A batch of areas at a time, each committed on its own: a device's receipt writes its own row
    // and waits for the batch writing the same row. In one statement, the receipts of a
    // province-wide alert (500,000 rows) waited 14 s for all of them.
    const areaIds = await alertRecipientsRepository.unitIdsUnder(db, paths)
    for (const part of chunk(areaIds, alertDeliverySettings.recipientAreasPerBatch))
      await alertRecipientsRepository.writeResidents(db, a.id, part)
    await alertRecipientsRepository.writeGroupMembers(db, a.id, paths)
    let written = 0
    await db.transaction(async (tx) => {
      written = await alertRecipientsRepository.markReady(tx, a.id)
      const runAt = new Date(publishedAt.getTime() + alertDeliverySettings.pushGraceMs)
      await this.enqueuePush(tx, a.id, job.version, 'Alert', runAt)
      // By SMS to residents who asked, if the unit sends this kind by SMS: once, at first
      // publication. The SMS job reads the recipient rows too, so it is queued with them.
      await this.deps.jobs.enqueue<SmsAlertJob>(
        SMS_ALERT_QUEUE,
        {
          alertId: a.id,
          issuingUnitId: a.issuingUnitId,
          kind: a.kind,
          headline: a.headline,
          body: a.outcome ?? a.description,
          url: `${this.deps.config.PUBLIC_URL}${alertPaths.share(a.id)}`,
        },
        { tx, uniqueKey: `alert-sms:${a.id}`, maxAttempts: 8 },
      )
    })
    // After commit, before the push walk (a grace period after publication) pages through them.
    if (written >= ANALYZE_AFTER_RECIPIENTS)
      await alertRecipientsRepository
        .analyze(this.deps.db)
        .catch((err) => this.warn(err, 'alert recipients written, but their statistics were not refreshed'))
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
    // An update right after publication can come before the recipient rows: retried (backoff).
    if (!a.recipientsReadyAt) throw new Error(`alert ${a.id}: recipients not written yet`)
    const payload = pushPayload(a, job.msgType, (await versionOf(this.deps.db, a, job.version)).news)
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
        // A missing child: a push that may not have arrived is sent again (same Topic and tag).
        resendUnconfirmed: true,
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
           where g.archived_at is null and g.kind = 'residential_area' and ${underAnyPath(
             sql`g.unit_path`,
             targets.map((t) => t.path),
           )}`,
    )
    const events = new MessagingEvents(this.deps.db, this.deps.bus)
    const { msgType, news } = await versionOf(this.deps.db, a, job.version)
    const text = news.slice(0, 600)
    const body = `${postTitle(a, msgType)}\n${text}\n${this.deps.config.PUBLIC_URL}${alertPaths.share(a.id)}`
    // What the group's alert card shows (web/features/messaging/GroupAlertCard.tsx).
    const payload: TGroupAlertPost = {
      alertId: a.id,
      version: job.version,
      kind: a.kind,
      msgType,
      headline: a.headline,
      text,
      areas: targets.map((t) => t.name),
    }
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
          payload,
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
