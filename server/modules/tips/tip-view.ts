import type { TTipView } from '@common/schemas/tips'
import type { DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { type AuditContext, audit } from '../audit/audit.service'
import { tipActions, tipsPolicy } from './tips.policy'
import { presentTip } from './tips.presenter'
import { type TipRow, tipsRepository } from './tips.repository'

/**
 * Builds what a reader may see of a tip: staff get the assignee and, for a tip with a known sender,
 * the sender's name and phone (a read of personal data, written to the audit log); the sender
 * sees their own tip; a tip-code holder sees the thread without file links. An anonymous tip has no sender to show.
 */
export async function tipViewFor(
  db: DbOrTx,
  tip: TipRow,
  viewer:
    | { audience: 'code' }
    | { audience: 'owner'; actor: Actor }
    | { audience: 'staff'; actor: Actor; audit: AuditContext },
): Promise<TTipView> {
  const [files, messages, areaName] = await Promise.all([
    tipsRepository.filesOfTips(db, [tip.id]),
    tipsRepository.messages(db, tip.id),
    tipsRepository.areaName(db, tip.areaId),
  ])
  if (viewer.audience !== 'staff') {
    return presentTip(tip, { audience: viewer.audience, areaName, files, messages, can: [] })
  }
  const assigneeRow = tip.assigneeId ? await tipsRepository.user(db, tip.assigneeId) : undefined
  let sender: { displayName: string; phone: string | null } | null = null
  if (tip.submitterId && !tip.isAnonymous && tipsPolicy.can(viewer.actor, 'readSender', tip)) {
    const user = await tipsRepository.user(db, tip.submitterId)
    if (user) {
      sender = { displayName: user.displayName, phone: user.phone }
      await audit.record(db, viewer.audit, {
        action: 'tip.sender_read',
        entityType: 'tip',
        entityId: tip.id,
        unitId: tip.areaId,
        unitPath: tip.areaPath,
        details: { subjectUserIds: [tip.submitterId] },
      })
    }
  }
  return presentTip(tip, {
    audience: 'staff',
    areaName,
    files,
    messages,
    assignee: assigneeRow ? { id: assigneeRow.id, displayName: assigneeRow.displayName } : null,
    sender,
    can: tipsPolicy.allowed(viewer.actor, tipActions, tip),
  })
}

/** Staff, the tipster, or (from the policy's point of view) nobody: which view a signed-in reader gets. */
export const audienceOf = (actor: Actor, tip: TipRow) =>
  tipsPolicy.can(actor, 'work', tip) ? ('staff' as const) : ('owner' as const)
