import type { TMessageView } from '@common/schemas/messaging'
import type { TSmsReplyInfo, TSmsReplyRequest, TSmsSent } from '@common/schemas/sms'
import { ZSmsReplyRequest } from '@common/schemas/sms'
import { withoutDiacritics } from '@common/text/sms-text'
import type { Actor } from '../../lib/actor'
import { conflict } from '../../lib/errors'
import { loadReadable, messageService, type OutboundRoute } from '../messaging/message.service'
import { smsPolicy } from './sms.policy'
import { presentMaskedPhone, presentSent } from './sms.presenter'
import { smsRepository } from './sms.repository'
import { budgetOf, type SmsCharge, type SmsDeps, smsLedger } from './sms-ledger.service'

/** Namespaces the officer's key: an SMS answer and a chat message never share one. */
const CLIENT_KEY_PREFIX = 'sms:'

async function loadForAnswer(deps: SmsDeps, actor: Actor, conversationId: string) {
  const loaded = await loadReadable(deps.db, actor, conversationId)
  smsPolicy.authorize(actor, 'answer', loaded.resource, { hide: true })
  const c = loaded.conversation
  const resident = c.residentId ? await smsRepository.resident(deps.db, c.residentId) : undefined
  // The sign-in number: a resident signs in with a code sent to it, so it is proven theirs.
  const phone = resident?.kind === 'resident' && !resident.deletedAt ? resident.phone : null
  return { loaded, phone }
}

/** An officer answers a conversation by SMS to the resident's number, within the unit's budget. */
export const smsReplyService = {
  /** What the composer shows before sending: the number (masked), the price, the budget left. */
  async info(deps: SmsDeps, actor: Actor, conversationId: string): Promise<TSmsReplyInfo> {
    const { loaded, phone } = await loadForAnswer(deps, actor, conversationId)
    const payer = await smsRepository.payingUnit(deps.db, loaded.conversation.areaPath ?? '')
    const budget = await budgetOf(deps.db, payer)
    const reason = !phone ? 'no_phone' : budget.monthlyVnd <= 0 ? 'no_budget' : null
    return {
      available: reason === null,
      reason,
      phoneMasked: phone ? presentMaskedPhone(phone) : null,
      priceVndPerSegment: deps.priceVnd,
      budget,
    }
  },

  /**
   * Posts the answer in the conversation and queues its SMS, in one transaction: beyond the budget
   * nothing is written or sent; the same client key (a double tap, a retry) returns the first answer.
   */
  async send(
    deps: SmsDeps,
    actor: Actor,
    conversationId: string,
    raw: TSmsReplyRequest,
  ): Promise<{ message: TMessageView; sms: TSmsSent; created: boolean }> {
    const input = ZSmsReplyRequest.parse(raw)
    const { loaded, phone } = await loadForAnswer(deps, actor, conversationId)
    if (!phone) throw conflict('sms.no_phone')
    const text = input.withoutDiacritics ? withoutDiacritics(input.text) : input.text
    let charge: SmsCharge | undefined
    const route: OutboundRoute = {
      async beforeInsert(tx, c, body) {
        const payer = await smsRepository.payingUnit(tx, c.areaPath ?? '')
        if (!payer || payer.monthlyBudgetVnd <= 0) throw conflict('sms.not_enabled')
        charge = await smsLedger.reserve(tx, deps, payer, body)
        return { channel: 'sms', status: 'pending', errorKey: null, attempts: 0 }
      },
      async afterInsert(tx, c, messageId) {
        await smsLedger.record(tx, deps, charge!, {
          purpose: 'reply',
          userId: c.residentId!,
          phone,
          messageId,
        })
      },
    }
    const result = await messageService.send(
      deps.messaging,
      actor,
      loaded,
      { body: text, clientKey: `${CLIENT_KEY_PREFIX}${input.clientKey}` },
      route,
    )
    const row = await smsRepository.sendOfMessage(deps.db, result.message.id)
    if (!row) throw conflict('messaging.client_key_reused')
    return { ...result, sms: presentSent(row) }
  },
}
