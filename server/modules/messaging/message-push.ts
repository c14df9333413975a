import { translate } from '@common/i18n/messages'
import type { TMessageView } from '@common/schemas/messaging'
import type { DbOrTx } from '../../db/client'
import type { PushNotifier } from '../notifications/push-notifier'
import { unitStaffService } from '../organisation/unit-staff.service'
import type { ConversationRow } from './conversation.repository'
import { type MessageRecipient, pushRecipientsOfSend } from './notification-recipients'

/**
 * Web Push for a committed message: to everyone who should hear of it but its author (muted groups
 * excluded), staff to their inbox and residents to their chat. One job per device, keyed by the
 * message, so a retried send never pushes twice.
 */
export async function pushNewMessage(
  db: DbOrTx,
  push: PushNotifier,
  c: ConversationRow,
  message: TMessageView,
  authorId: string,
  /** The commanders over a direct conversation's area when the caller has read them (for its rooms). */
  commanders?: string[],
  /** Whom to push to, when the write already read it (`SentOutcome.pushTo`). */
  recipients?: MessageRecipient[] | null,
): Promise<void> {
  const kinds =
    recipients ??
    (await pushRecipientsOfSend(db, {
      conversation: c,
      authorId,
      isInternal: message.isInternal,
      commanders:
        commanders ??
        (c.kind === 'direct' && !c.assigneeId && c.areaPath
          ? await unitStaffService.commandersOver(db, c.areaPath)
          : []),
    }))
  if (kinds.length === 0) return
  const card = message.kind === 'guidance' ? String(message.payload?.title ?? '') : ''
  const text = card ? `${card}: ${message.body.trim()}` : message.body.trim()
  const preview = text.slice(0, 140) || translate('vi', 'push.message_attachment')
  const title = translate('vi', c.kind === 'group' ? 'push.group_message' : 'push.direct_message')
  const send = (ids: string[], url: string) =>
    ids.length
      ? push.notifyUsers(
          ids,
          { title, body: preview, url, tag: `c-${c.id.slice(0, 28)}` },
          {
            dedupeKey: `message:${message.id}`,
            excludeUserId: authorId,
          },
        )
      : Promise.resolve(0)
  const staff = kinds.filter((k) => k.kind === 'staff').map((k) => k.id)
  const residents = kinds.filter((k) => k.kind === 'resident').map((k) => k.id)
  const residentUrl = c.kind === 'group' ? `/groups/${c.groupId}` : '/ask'
  const staffUrl = c.kind === 'group' ? `/groups/${c.groupId}` : `/staff/inbox/${c.id}`
  await Promise.all([send(staff, staffUrl), send(residents, residentUrl)])
}
