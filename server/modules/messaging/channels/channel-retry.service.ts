import type { Actor } from '../../../lib/actor'
import { conflict, notFound } from '../../../lib/errors'
import { messageRepository } from '../message.repository'
import { loadReadable, type MessagingDeps, messageService } from '../message.service'
import { messagingPolicy } from '../messaging.policy'

/**
 * "Thử lại" on a reply that Zalo or Messenger did not take. Idempotent: under the stream lock only a
 * reply still marked failed goes back to pending with one new delivery job (keyed by the retry's
 * number), so a double click, two officers or a replayed request never send it twice.
 */
export async function retryDelivery(deps: MessagingDeps, actor: Actor, messageId: string) {
  const msg = await messageRepository.get(deps.db, messageId)
  if (!msg) throw notFound('messaging.message_not_found')
  const loaded = await loadReadable(deps.db, actor, msg.conversationId)
  messagingPolicy.authorize(actor, 'work', loaded.resource)
  // An answer by SMS is one row of the unit's SMS ledger (sms module), sent by its own job, which
  // already retried while eSMS could not be reached: what is left is a refusal. Queuing it here would
  // leave it "pending" for good; a new answer by SMS is the way (it is priced and charged again).
  if (!msg.delivery || msg.delivery.channel === 'sms' || !deps.channels)
    throw conflict('channels.retry.not_retryable')
  if (msg.deletedAt || msg.hiddenAt) throw conflict('messaging.message_removed')
  const gateway = deps.channels
  await deps.db.transaction(async (tx) => {
    await messageRepository.lockStream(tx)
    const current = await messageRepository.get(tx, messageId)
    const delivery = current?.delivery
    // Pending (a retry already queued) or sent: nothing to do, the answer shows the state as it is.
    if (delivery?.status !== 'failed') return
    const retries = (delivery.retries ?? 0) + 1
    await messageRepository.change(tx, messageId, {
      delivery: { ...delivery, status: 'pending', errorKey: null, attempts: 0, retries },
    })
    await gateway.afterInsert(tx, messageId, retries)
  })
  return messageService.publishUpdate(deps, loaded.conversation, messageId)
}
