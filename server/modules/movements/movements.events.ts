import type { Room } from '@common/events'
import type { EventBus } from '../../realtime/event-bus'

/** The register rooms of an area: the area itself and every unit above it ("/p/w/a/" → p, w, a). */
export const registerRoomsOf = (areaPath: string): Room[] =>
  areaPath
    .split('/')
    .filter(Boolean)
    .map((id): Room => `register:${id}`)

/**
 * After commit, at most once: the reporter's own room and the register rooms of the area. Clients
 * refetch through the API, which applies the same policy as the room authoriser.
 */
export async function publishReportChanged(
  bus: EventBus,
  r: { id: string; status: string; areaId: string; areaPath: string; reporterId: string },
): Promise<void> {
  try {
    await bus.publish({
      type: 'residence_report.changed',
      rooms: [`user:${r.reporterId}`, ...registerRoomsOf(r.areaPath)],
      at: new Date().toISOString(),
      reportId: r.id,
      areaId: r.areaId,
      status: r.status,
    })
  } catch {
    // Nothing to undo: the report is committed; clients resync from the API.
  }
}
