import type { FastifyBaseLogger } from 'fastify'
import type { Db, DbOrTx } from '../../../db/client'
import type { JobContext, JobQueue } from '../../../jobs/job-queue'
import { channelRepository } from './channel.repository'
import { ChannelSendError } from './channel.types'
import { type AlertPostKind, channelAlertPostsRepository } from './channel-alert-posts.repository'
import { type ChannelAdapters, openAccount } from './channel-registry'

export const ALERT_POST_QUEUE = 'channels.alert-post'
export const ALERT_REACH_QUEUE = 'channels.alert-reach'
/** Tries of one post (the queue's backoff between them); then the row records the failure. */
export const ALERT_POST_ATTEMPTS = 6
const REACH_ATTEMPTS = 6

/**
 * How long after posting the reach is read: Meta updates most insights once a day, and by then a
 * ward's post has reached most of the people it will. Tests set it to 0.
 */
export const alertReachSettings = { delayMs: 24 * 3600_000 }

/**
 * Platforms whose accounts post public alerts. Messenger: the Page's feed. Zalo OA is left out: its
 * broadcast needs an article created first and a broadcast permission Zalo grants case by case (and
 * counts as a paid "tin truyền thông"), so a free ward OA cannot post from here (docs/channels.md).
 */
const POSTING_PLATFORMS = new Set(['messenger'])

export interface AlertPostJob {
  alertId: string
  accountId: string
  /** Absent in jobs queued before updates were posted: the alert itself. */
  version?: number
  message: string
  link: string
}

export interface AlertReachJob {
  postId: string
}

export interface AlertPostDeps {
  db: Db
  key: Buffer
  adapters: ChannelAdapters
  jobs: JobQueue
  log?: FastifyBaseLogger
}

/**
 * Queued in the publishing transaction: one row and one job per Page. The alert itself goes to the
 * issuing unit's own active Pages (a Page speaks for the unit that connected it; a district's Page
 * carrying every ward's alert is the district's editorial choice, not ours). An update or the
 * cancellation goes where the alert went, so a reader of the first post learns what became of it.
 */
export async function queueAlertPosts(
  jobs: JobQueue,
  tx: DbOrTx,
  alert: {
    id: string
    issuingUnitId: string
    version: number
    msgType: AlertPostKind
    message: string
    link: string
  },
) {
  const accounts =
    alert.msgType === 'Alert'
      ? await channelRepository.accountsOfUnit(tx, alert.issuingUnitId)
      : await Promise.all(
          (await channelAlertPostsRepository.accountsOfFirstPost(tx, alert.id)).map((id) =>
            channelRepository.account(tx, id),
          ),
        )
  for (const account of accounts) {
    if (account?.status !== 'active' || !POSTING_PLATFORMS.has(account.platform)) continue
    const row = { alertId: alert.id, accountId: account.id, version: alert.version, msgType: alert.msgType }
    if (!(await channelAlertPostsRepository.insertPending(tx, row))) continue
    await jobs.enqueue<AlertPostJob>(
      ALERT_POST_QUEUE,
      {
        alertId: alert.id,
        accountId: account.id,
        version: alert.version,
        message: alert.message,
        link: alert.link,
      },
      {
        tx,
        uniqueKey: `alert-channel-post:${alert.id}:${account.id}:${alert.version}`,
        maxAttempts: ALERT_POST_ATTEMPTS,
      },
    )
  }
}

const asSendError = (err: unknown) =>
  err instanceof ChannelSendError ? err : new ChannelSendError('channels.error.temporary', true, String(err))

/**
 * Posts once: a row already posted (a retried or repeated job) is left alone; the platform's post
 * id is recorded at once, with the job that reads its reach later. A refusal that retrying cannot
 * fix (expired token) fails the row at once. An update waits while the alert's own post is still
 * being tried, so the Page never shows "[Cập nhật]" above the alert it updates.
 */
export async function postAlert(deps: AlertPostDeps, job: AlertPostJob, ctx: JobContext) {
  const version = job.version ?? 1
  const row = await channelAlertPostsRepository.get(deps.db, job.alertId, job.accountId, version)
  if (row?.status !== 'pending') return
  const account = await channelRepository.account(deps.db, job.accountId)
  const adapter = account ? deps.adapters[account.platform] : undefined
  try {
    if (account?.status !== 'active' || !adapter?.publishPost)
      throw new ChannelSendError('channels.error.not_connected', false, 'account missing or disabled')
    if (version > 1) {
      const first = await channelAlertPostsRepository.get(deps.db, job.alertId, job.accountId, 1)
      if (first?.status === 'pending')
        throw new ChannelSendError('channels.error.temporary', true, 'the alert itself is not posted yet')
    }
    const postId = await adapter.publishPost(openAccount(deps.key, account), {
      message: job.message,
      link: job.link,
    })
    await deps.db.transaction(async (tx) => {
      await channelAlertPostsRepository.settle(tx, row.id, {
        status: 'posted',
        externalPostId: postId,
        postedAt: new Date(),
        errorKey: null,
      })
      if (adapter.readPostReach && postId)
        await deps.jobs.enqueue<AlertReachJob>(
          ALERT_REACH_QUEUE,
          { postId: row.id },
          {
            tx,
            runAt: new Date(Date.now() + alertReachSettings.delayMs),
            uniqueKey: `alert-channel-reach:${row.id}`,
            maxAttempts: REACH_ATTEMPTS,
          },
        )
    })
  } catch (err) {
    const e = asSendError(err)
    deps.log?.warn({ alertId: job.alertId, attempt: ctx.attempt, err: e.message }, 'alert post failed')
    if (e.retryable && ctx.attempt < ALERT_POST_ATTEMPTS) throw e
    await channelAlertPostsRepository.settle(deps.db, row.id, { status: 'failed', errorKey: e.errorKey })
  }
}

/**
 * Reads once how many people a post reached (the Page's insights) and keeps it on the row: a row
 * already read is left alone. A passing failure is retried by the queue; a refusal (the token lacks
 * read_insights, an expired token) is recorded, and the staff view says why there is no figure.
 */
export async function readAlertReach(deps: AlertPostDeps, job: AlertReachJob, ctx: JobContext) {
  const row = await channelAlertPostsRepository.byId(deps.db, job.postId)
  if (row?.status !== 'posted' || !row.externalPostId || row.reachReadAt) return
  const account = await channelRepository.account(deps.db, row.accountId)
  const adapter = account ? deps.adapters[account.platform] : undefined
  try {
    if (account?.status !== 'active' || !adapter?.readPostReach)
      throw new ChannelSendError('channels.error.not_connected', false, 'account missing or disabled')
    const reach = await adapter.readPostReach(openAccount(deps.key, account), row.externalPostId)
    await channelAlertPostsRepository.settle(deps.db, row.id, {
      reach,
      reachReadAt: new Date(),
      reachErrorKey: null,
    })
  } catch (err) {
    const e = asSendError(err)
    deps.log?.warn({ postId: row.id, attempt: ctx.attempt, err: e.message }, 'alert post reach not read')
    if (e.retryable && ctx.attempt < REACH_ATTEMPTS) throw e
    await channelAlertPostsRepository.settle(deps.db, row.id, {
      reachReadAt: new Date(),
      reachErrorKey: e.errorKey,
    })
  }
}
