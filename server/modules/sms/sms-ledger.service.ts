import type { TSmsBudget } from '@common/schemas/sms'
import { smsSegments } from '@common/text/sms-text'
import type { FastifyBaseLogger } from 'fastify'
import type { Db, DbOrTx } from '../../db/client'
import type { JobContext, JobQueue } from '../../jobs/job-queue'
import { AppError } from '../../lib/errors'
import { SmsDeliveryError, type SmsProvider } from '../auth/sms/sms-provider'
import { type MessagingDeps, messageService } from '../messaging/message.service'
import { type PayingUnit, type SmsSendRow, smsRepository } from './sms.repository'

export const SMS_SEND_QUEUE = 'sms.send'
/** Tries of one SMS while the provider cannot be reached (backoff from the job queue); then "failed". */
export const SMS_SEND_ATTEMPTS = 6

export interface SmsDeps {
  db: Db
  jobs: JobQueue
  provider: SmsProvider
  /** Đồng per segment (SMS_PRICE_VND). */
  priceVnd: number
  messaging: MessagingDeps
  log?: FastifyBaseLogger
  /** The signed URL eSMS reports this send's delivery to; none: no report asked for. */
  statusCallbackUrl?: (sendId: string) => string
}

export interface SmsCharge {
  payer: PayingUnit
  text: string
  encoding: 'gsm7' | 'ucs2'
  segments: number
  costVnd: number
}

const vnd = new Intl.NumberFormat('vi-VN')

/** eSMS codes that say the number itself cannot receive (blocked, not a valid number). */
const RECIPIENT_CODES = new Set(['99', '108'])
/** eSMS: "Duplicate RequestId" — the first try of this very SMS was taken; it is not sent again. */
const DUPLICATE_REQUEST = '124'

export async function budgetOf(db: DbOrTx, payer: PayingUnit | undefined): Promise<TSmsBudget> {
  if (!payer) return { unitId: null, unitName: null, monthlyVnd: 0, spentVnd: 0, remainingVnd: 0 }
  const spent = await smsRepository.spentThisMonth(db, payer.unitId)
  return {
    unitId: payer.unitId,
    unitName: payer.unitName,
    monthlyVnd: payer.monthlyBudgetVnd,
    spentVnd: spent,
    remainingVnd: Math.max(0, payer.monthlyBudgetVnd - spent),
  }
}

/**
 * The SMS ledger: every SMS is priced and checked against its unit's monthly budget under the
 * unit's lock, written as a row with its send job in the caller's transaction, then sent by the
 * job. A refusal for budget leaves nothing behind: no row, no job, nothing sent.
 */
export const smsLedger = {
  /**
   * Prices the text and takes the unit's budget lock for the rest of the transaction. Throws a
   * conflict (sms.budget_exceeded) when the SMS would take the month's spending past the budget.
   */
  async reserve(tx: DbOrTx, deps: Pick<SmsDeps, 'priceVnd'>, payer: PayingUnit, text: string) {
    const { encoding, segments } = smsSegments(text)
    const charge: SmsCharge = { payer, text, encoding, segments, costVnd: segments * deps.priceVnd }
    await smsRepository.lockBudget(tx, payer.unitId)
    const spent = await smsRepository.spentThisMonth(tx, payer.unitId)
    if (spent + charge.costVnd > payer.monthlyBudgetVnd)
      throw new AppError('conflict', 'sms.budget_exceeded', {
        vars: {
          cost: vnd.format(charge.costVnd),
          remaining: vnd.format(Math.max(0, payer.monthlyBudgetVnd - spent)),
        },
      })
    return charge
  },

  /** Writes the ledger row and its job (same transaction, after reserve). Undefined if it existed. */
  async record(
    tx: DbOrTx,
    deps: Pick<SmsDeps, 'jobs'>,
    charge: SmsCharge,
    v: { purpose: 'reply' | 'alert'; userId: string; phone: string; messageId?: string; alertId?: string },
  ): Promise<SmsSendRow | undefined> {
    const row = await smsRepository.insertSend(tx, {
      unitId: charge.payer.unitId,
      purpose: v.purpose,
      messageId: v.messageId ?? null,
      alertId: v.alertId ?? null,
      userId: v.userId,
      phone: v.phone,
      text: charge.text,
      encoding: charge.encoding,
      segments: charge.segments,
      costVnd: charge.costVnd,
    })
    if (row)
      await deps.jobs.enqueue(
        SMS_SEND_QUEUE,
        { sendId: row.id },
        { tx, uniqueKey: `sms-send:${row.id}`, maxAttempts: SMS_SEND_ATTEMPTS },
      )
    return row
  },

  registerJobs(deps: SmsDeps) {
    deps.jobs.register<{ sendId: string }>(SMS_SEND_QUEUE, (job, ctx) =>
      smsLedger.deliver(deps, job.sendId, ctx),
    )
  },

  /**
   * Sends one ledger row. The row's id is the provider's RequestId, so a retry after a lost answer
   * is dropped by eSMS (124) instead of reaching the phone twice; a sent row is never sent again.
   */
  async deliver(deps: SmsDeps, sendId: string, ctx: JobContext) {
    const row = await smsRepository.send(deps.db, sendId)
    if (row?.status !== 'pending') return
    let outcome: { status: 'sent' | 'failed'; providerId: string | null; error: string | null }
    try {
      const callbackUrl = deps.statusCallbackUrl?.(row.id)
      const result = await deps.provider.send({
        to: row.phone,
        text: row.text,
        requestId: row.id,
        ...(callbackUrl ? { callbackUrl } : {}),
      })
      outcome = { status: 'sent', providerId: result.providerId, error: null }
    } catch (err) {
      const code = err instanceof SmsDeliveryError ? err.providerCode : undefined
      if (code === DUPLICATE_REQUEST) outcome = { status: 'sent', providerId: null, error: null }
      else {
        deps.log?.warn({ sendId, attempt: ctx.attempt, err: (err as Error).message }, 'SMS not sent')
        // The provider answered with a refusal: trying again gives the same answer. Else retry.
        if (!code && ctx.attempt < SMS_SEND_ATTEMPTS) {
          await smsRepository.updateSend(deps.db, sendId, { attempts: ctx.attempt, error: 'temporary' })
          throw err
        }
        const error = !code ? 'temporary' : RECIPIENT_CODES.has(code) ? 'recipient_unavailable' : 'refused'
        outcome = { status: 'failed', providerId: null, error }
      }
    }
    await smsRepository.updateSend(deps.db, sendId, {
      ...outcome,
      attempts: ctx.attempt,
      sentAt: outcome.status === 'sent' ? new Date() : null,
    })
    if (row.messageId)
      await messageService.setDelivery(deps.messaging, row.messageId, {
        channel: 'sms',
        status: outcome.status,
        errorKey: outcome.error ? `channels.error.${outcome.error}` : null,
        attempts: ctx.attempt,
      })
  },
}
