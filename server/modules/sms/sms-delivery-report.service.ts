import { createHmac, timingSafeEqual } from 'node:crypto'
import { notFound } from '../../lib/errors'
import { messageService } from '../messaging/message.service'
import { smsRepository } from './sms.repository'
import type { SmsDeps } from './sms-ledger.service'

/**
 * eSMS's delivery report (developers.esms.vn, "Callback Url"): once the operator reports an SMS,
 * eSMS calls the CallbackUrl given with the send by HTTP GET with SMSID, SendStatus (5 sent, 4
 * rejected; 1, 2 and 7 are on the way), SendSuccess and SendFailed (counts of recipients), RequestId,
 * phonenumber… and retries up to 5 times on a timeout. It signs nothing, so the URL itself carries
 * the credential: the send's id and an HMAC of it with the server's secret.
 */
export interface EsmsReport {
  SMSID?: string | undefined
  SendStatus?: string | undefined
  SendSuccess?: string | undefined
  SendFailed?: string | undefined
  RequestId?: string | undefined
}

const REJECTED = '4'
const FINISHED = '5'

export const reportToken = (secret: string, sendId: string) =>
  createHmac('sha256', secret).update(`sms-status:${sendId}`).digest('hex').slice(0, 40)

/** The callback URL for one send: {PUBLIC_URL}/api/sms/esms/status/{sendId}/{token}. */
export const statusCallbackUrl = (publicUrl: string, secret: string) => (sendId: string) =>
  `${publicUrl}/api/sms/esms/status/${sendId}/${reportToken(secret, sendId)}`

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** What a report says of our one recipient; undefined while the SMS is still on its way. */
export function reportOutcome(r: EsmsReport): 'delivered' | 'undelivered' | undefined {
  if (r.SendStatus === REJECTED) return 'undelivered'
  if (r.SendStatus !== FINISHED) return undefined
  if (Number(r.SendSuccess ?? 0) > 0) return 'delivered'
  return Number(r.SendFailed ?? 0) > 0 ? 'undelivered' : undefined
}

export const smsDeliveryReports = {
  /**
   * Records the operator's word on a sent SMS. A wrong token or an unknown send is 404 (nothing to
   * tell a guesser); a report again (eSMS retries) or one about a send not taken by eSMS changes nothing.
   */
  async receive(deps: SmsDeps, secret: string, sendId: string, token: string, report: EsmsReport) {
    if (!sameToken(token, reportToken(secret, sendId))) throw notFound()
    const row = await smsRepository.send(deps.db, sendId)
    if (!row) throw notFound()
    const outcome = reportOutcome(report)
    if (!outcome || row.status !== 'sent') return { status: row.status }
    await smsRepository.updateSend(deps.db, sendId, {
      status: outcome,
      ...(report.SMSID && !row.providerId ? { providerId: report.SMSID } : {}),
      ...(outcome === 'undelivered' ? { error: 'recipient_unavailable' } : {}),
    })
    // The officer sees on the answer that it did not reach the phone.
    if (outcome === 'undelivered' && row.messageId)
      await messageService.setDelivery(deps.messaging, row.messageId, {
        channel: 'sms',
        status: 'failed',
        errorKey: 'channels.error.recipient_unavailable',
        attempts: row.attempts,
      })
    return { status: outcome }
  },
}
