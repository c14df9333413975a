import type { Db } from '../../db/client'
import type { EventBus } from '../../realtime/event-bus'
import { audit, systemAuditContext } from '../audit/audit.service'
import { casesRepository } from './cases.repository'
import { publishCaseChanged, publishTipChanged } from './tips.events'
import { tipsRepository } from './tips.repository'

/**
 * An area changed officer (security review F12): the tips and cases the former officer held in the
 * area, open or finished, go to the officer now responsible for it (or back to the unit's duty queue
 * and the commanders when nobody follows). The former officer keeps an officer grant on the ward, so
 * leaving the records with them would leave them reading what stays behind; a commander can still
 * hand one back explicitly (PATCH with `assigneeId`).
 *
 * Runs when the change takes effect, from organisation's officer-change job (on one instance; a
 * retry's updates match nothing, so each move is audited once). Returns how many records moved.
 */
export async function followAreaOfficer(
  deps: { db: Db; bus: EventBus },
  areaId: string,
  previousOfficerId: string | null,
): Promise<number> {
  if (!previousOfficerId) return 0
  const moved = await deps.db.transaction(async (tx) => {
    const officerId = await tipsRepository.responsibleOfficer(tx, areaId)
    // A reassignment planned for later: the former officer still answers for the area today.
    if (officerId === previousOfficerId) return null
    const tips = await tipsRepository.handOver(tx, areaId, previousOfficerId, officerId)
    const cases = await casesRepository.handOver(tx, areaId, previousOfficerId, officerId)
    const names = await casesRepository.userNames(tx, officerId ? [officerId] : [])
    const details = { from: previousOfficerId, to: officerId, reason: 'area.officer_changed' }
    for (const c of cases) {
      await casesRepository.addEvent(tx, {
        caseId: c.id,
        actorId: null,
        type: 'assigned',
        data: { to: officerId ? (names.get(officerId) ?? null) : null },
      })
    }
    for (const [entityType, rows] of [
      ['tip', tips],
      ['case', cases],
    ] as const) {
      for (const r of rows) {
        await audit.record(tx, systemAuditContext(), {
          action: `${entityType}.hand_over`,
          entityType,
          entityId: r.id,
          unitId: r.areaId,
          unitPath: r.areaPath,
          details,
        })
      }
    }
    return { tips, cases }
  })
  if (!moved) return 0
  for (const tip of moved.tips) await publishTipChanged(deps.bus, tip)
  for (const c of moved.cases) await publishCaseChanged(deps.bus, c)
  return moved.tips.length + moved.cases.length
}
