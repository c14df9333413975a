import type { Config } from '../../config'
import type { DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { AppError } from '../../lib/errors'
import { uploadQuota } from '../tips/upload-quota'
import { conversationRepository, type LoadedConversation } from './conversation.repository'
import { fileRepository } from './file.repository'

const MB = 1024 * 1024

/** The sender's own cap on files sent in conversations and groups (413), under a lock until commit. */
async function assertSenderRoom(tx: DbOrTx, config: Config, senderId: string, bytes: number) {
  await fileRepository.lockUploader(tx, senderId)
  const limit = config.MESSAGE_FILES_MB_PER_RESIDENT * MB
  if ((await fileRepository.bytesSentBy(tx, senderId)) + bytes > limit) {
    const messageKey = 'messaging.resident_storage_full'
    throw new AppError('payload_too_large', messageKey, {
      vars: { mb: config.MESSAGE_FILES_MB_PER_RESIDENT },
      fields: [{ field: 'file', code: 'quota', messageKey }],
    })
  }
}

/**
 * Inside the transaction that records a conversation file: a resident may hold at most
 * MESSAGE_FILES_MB_PER_RESIDENT of files sent in conversations and groups (413), so one account
 * cannot fill its unit's storage; and every file counts against the unit's quota as tips do (507).
 * Both are checked under locks held until commit, so concurrent uploads cannot slip past together.
 */
export async function assertRoomForFile(
  tx: DbOrTx,
  config: Config,
  actor: Actor,
  loaded: LoadedConversation,
  bytes: number,
): Promise<void> {
  if (actor.kind === 'resident') await assertSenderRoom(tx, config, actor.userId, bytes)
  // The unit a conversation's files count for (upload-quota.repository.ts): its group's unit or its area.
  const areaId = loaded.group?.unitId ?? loaded.conversation.areaId
  if (areaId) await uploadQuota.charge(tx, config, { areaId, bytes })
}

/**
 * The same two checks for a photo a contact sent on Zalo or Messenger, copied in by a job with no
 * signed-in user: the contact (a resident account of their own) is held to a resident's share, and
 * the photo counts against the quota of the unit whose queue or area the conversation is in, so a
 * flood of outside photos cannot fill a unit's storage any more than uploads can.
 */
export async function assertRoomForOutsidePhoto(
  tx: DbOrTx,
  config: Config,
  owner: { conversationId: string; uploaderId: string },
  bytes: number,
): Promise<void> {
  await assertSenderRoom(tx, config, owner.uploaderId, bytes)
  const conversation = await conversationRepository.get(tx, owner.conversationId)
  if (conversation?.areaId) await uploadQuota.charge(tx, config, { areaId: conversation.areaId, bytes })
}
