import { conversationRepository } from '../conversation.repository'
import { channelRepository } from './channel.repository'
import { ChannelSendError } from './channel.types'
import type { ChannelDeps } from './channel-outbound.service'
import { openAccount } from './channel-registry'

export const PROFILE_QUEUE = 'channels.profile'

export interface ProfileJob {
  contactId: string
}

/**
 * A new contact's name as the platform shows it (Zalo OA user detail, Messenger User Profile), so the
 * inbox says "Nguyễn Văn An" instead of "Zalo …7001". Asked once per contact, from the job queue
 * (retried when the platform is briefly down); a refusal keeps the placeholder.
 */
export async function fetchContactProfile(deps: ChannelDeps, job: ProfileJob) {
  const { db, key, adapters } = deps
  const contact = await channelRepository.contactById(db, job.contactId)
  const accountRow = contact ? await channelRepository.account(db, contact.accountId) : undefined
  const adapter = accountRow ? adapters[accountRow.platform] : undefined
  if (!contact || !accountRow || !adapter || accountRow.status !== 'active') return
  let profile: Awaited<ReturnType<typeof adapter.profile>>
  try {
    profile = await adapter.profile(openAccount(key, accountRow), contact.platformUserId)
  } catch (err) {
    if (err instanceof ChannelSendError && !err.retryable) {
      deps.log?.warn({ contactId: contact.id, err: err.message }, 'contact profile not available')
      return
    }
    throw err
  }
  if (!profile) return
  const renamed = await db.transaction(async (tx) => {
    await channelRepository.updateContact(tx, contact.id, { displayName: profile.displayName })
    await channelRepository.renameStandIn(tx, contact.userId, profile.displayName)
    return channelRepository.directConversationsOf(tx, contact.userId)
  })
  // After the commit: every open inbox shows the new name.
  for (const id of renamed) {
    const conversation = await conversationRepository.get(db, id)
    if (conversation) await deps.events.conversation(conversation)
  }
}
