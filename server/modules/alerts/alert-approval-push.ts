import { translate } from '@common/i18n/messages'
import type { Db, DbOrTx } from '../../db/client'
import type { JobQueue } from '../../jobs/job-queue'
import type { PushNotifier } from '../notifications/push-notifier'
import { unitStaffService } from '../organisation/unit-staff.service'
import { alertsRepository } from './alerts.repository'
import { resourceOf } from './alerts.service'

export const ALERT_APPROVAL_PUSH_QUEUE = 'alerts.approval_push'

interface ApprovalPushJob {
  alertId: string
  /** One submission: a resubmit after a rejection is a new one and pushes again. */
  submissionKey: string
}

/**
 * Tells the commanders who may approve an alert that it waits for them (issue 19). Queued in the
 * submitting transaction, so the push is never lost nor sent for a submission that rolled back.
 */
export class AlertApprovalPush {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    private readonly notifier: PushNotifier,
  ) {}

  registerJobs(): void {
    this.jobs.register<ApprovalPushJob>(ALERT_APPROVAL_PUSH_QUEUE, (job) => this.push(job))
  }

  /** `submittedAt` names the submission: the same one never queues a second push. */
  enqueue(tx: DbOrTx, alert: { id: string; version: number }, submittedAt: Date) {
    const submissionKey = `${alert.id}:v${alert.version}:${submittedAt.getTime()}`
    return this.jobs.enqueue<ApprovalPushJob>(
      ALERT_APPROVAL_PUSH_QUEUE,
      { alertId: alert.id, submissionKey },
      { tx, uniqueKey: `alert-approval:${submissionKey}`, maxAttempts: 6 },
    )
  }

  private async push(job: ApprovalPushJob): Promise<void> {
    const loaded = await alertsRepository.load(this.db, job.alertId, null)
    // Approved, rejected or withdrawn before the job ran: nothing waits any more.
    if (loaded?.alert.state !== 'pending_approval') return
    const a = loaded.alert
    // The alertsPolicy 'approve' rule: commanders at or above the approval path (the province for
    // a province-wide alert, else the issuing unit).
    const { approvalPath } = resourceOf(loaded, false)
    const commanders = await unitStaffService.commandersOver(this.db, approvalPath)
    await this.notifier.notifyUsers(
      commanders,
      {
        title: translate('vi', 'push.alert_pending_approval', { headline: a.headline }).slice(0, 120),
        body: a.description.slice(0, 180),
        url: `/staff/alerts/${a.id}`,
        tag: `alert-approval-${a.id}`,
      },
      { dedupeKey: `alert-approval:${job.submissionKey}`, excludeUserId: a.authorId },
    )
  }
}
