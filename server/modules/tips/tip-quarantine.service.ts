import type { Actor } from '../../lib/actor'
import { conflict } from '../../lib/errors'
import { type AuditContext, audit } from '../audit/audit.service'
import { publishTipChanged } from './tips.events'
import { tipsPolicy } from './tips.policy'
import { type TipRow, tipsRepository } from './tips.repository'
import type { TipsDeps } from './tips.service'

/**
 * Quarantines a spam tip (F9): the bytes of its files and of its thread's files are deleted through
 * `evidence_remove_bytes(…, 'quarantine')`, the only way past the evidence trigger, while each
 * record keeps its hash, size and kind; the tip is closed and marked, stays in the lists, and its
 * tip code can add nothing more. Audited in the same transaction.
 */
export async function quarantineTip(
  deps: TipsDeps,
  actor: Actor,
  ctx: AuditContext,
  tip: TipRow,
  reason: string,
): Promise<TipRow> {
  tipsPolicy.authorize(actor, 'quarantine', tip)
  if (tip.quarantinedAt) throw conflict('tips.quarantined')
  if (tip.caseId) throw conflict('tips.linked_to_case')
  const { row, keys } = await deps.db.transaction(async (tx) => {
    const keys = await tipsRepository.removeFileBytes(tx, tip.id, 'quarantine')
    const row = await tipsRepository.update(tx, tip.id, {
      quarantinedAt: new Date(),
      status: 'closed',
      closedAt: tip.closedAt ?? new Date(),
    })
    await audit.record(tx, ctx, {
      action: 'tip.quarantine',
      entityType: 'tip',
      entityId: tip.id,
      unitId: tip.areaId,
      unitPath: tip.areaPath,
      details: { reason, storedFilesDeleted: keys.length },
    })
    return { row, keys }
  })
  for (const key of keys) await deps.storage.delete(key).catch(() => undefined)
  await publishTipChanged(deps.bus, row)
  return row
}
