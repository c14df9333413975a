import { AppError } from '../../lib/errors'
import { loadActor } from '../auth/actor.repository'
import { conversationService } from '../messaging/conversation.service'
import { loadReadable, messageService, type OutboundRoute } from '../messaging/message.service'
import type { ParsedMo } from './esms-mo'
import { type SmsInboundRow, smsRepository } from './sms.repository'
import type { SmsDeps } from './sms-ledger.service'

export const SMS_INBOUND_QUEUE = 'sms.inbound'
const BATCH = 50

/** A resident's SMS arrives already delivered: it is marked as having come by SMS, nothing is sent. */
const receivedBySms: OutboundRoute = {
  beforeInsert: async () => ({ channel: 'sms', status: 'sent', errorKey: null, attempts: 1 }),
  afterInsert: async () => undefined,
}

/**
 * Residents' SMS replies: stored first (the provider's id is unique, so a redelivery is dropped) and
 * answered at once; a job then files each into the resident's conversation as their own message,
 * live in the officer's inbox like any other.
 */
export const smsInbound = {
  /** Returns false for a redelivery (already stored). */
  async receive(deps: SmsDeps, mo: ParsedMo): Promise<boolean> {
    return deps.db.transaction(async (tx) => {
      const id = await smsRepository.storeInbound(tx, mo)
      // In the same transaction: a stored SMS always has a job that will file it.
      if (id) await deps.jobs.enqueue(SMS_INBOUND_QUEUE, {}, { tx, uniqueKey: `sms-inbound:${id}` })
      return id !== undefined
    })
  },

  registerJobs(deps: SmsDeps) {
    deps.jobs.register(SMS_INBOUND_QUEUE, async () => {
      await smsInbound.processPending(deps)
    })
  },

  /** Files every pending SMS, oldest first. Two jobs at once file each SMS once (its client key). */
  async processPending(deps: SmsDeps): Promise<number> {
    let total = 0
    for (;;) {
      const rows = await smsRepository.pendingInbound(deps.db, BATCH)
      for (const row of rows) {
        try {
          await smsInbound.file(deps, row)
        } catch (err) {
          // A refusal by the rules (the conversation is gone, …) is final; anything else is retried.
          if (!(err instanceof AppError)) throw err
          deps.log?.warn({ inboundId: row.id, err: err.message }, 'inbound SMS not filed')
          await smsRepository.markInbound(deps.db, row.id, {
            status: 'ignored',
            reason: err.messageKey ?? err.kind,
          })
        }
      }
      total += rows.length
      if (rows.length < BATCH) return total
    }
  },

  async file(deps: SmsDeps, row: SmsInboundRow) {
    const user = await smsRepository.residentByPhone(deps.db, row.sender)
    if (!user)
      return smsRepository.markInbound(deps.db, row.id, { status: 'ignored', reason: 'unknown_number' })
    const actor = await loadActor(deps.db, user, `sms:${row.providerId}`)
    // The conversation they were answered in by SMS; else their own with the police of their area.
    const conversationId =
      (await smsRepository.lastAnsweredConversation(deps.db, user.id)) ??
      (user.areaId ? (await conversationService.ensureMine(deps.db, actor)).id : undefined)
    if (!conversationId)
      return smsRepository.markInbound(deps.db, row.id, { status: 'ignored', reason: 'no_conversation' })
    const loaded = await loadReadable(deps.db, actor, conversationId)
    const { message } = await messageService.send(
      deps.messaging,
      actor,
      loaded,
      { body: row.content || '…', clientKey: `sms-in:${row.providerId}`.slice(0, 100) },
      receivedBySms,
    )
    await smsRepository.markInbound(deps.db, row.id, { status: 'processed', messageId: message.id })
  },
}
