import type { Room } from '@common/events'
import type { EventBus } from '../../realtime/event-bus'
import { publishAfterCommit } from '../../realtime/event-bus'

/** The scam rooms of an area: the area itself and every unit above it ("/p/w/a/" → p, w, a). */
export const scamRoomsOf = (areaPath: string): Room[] =>
  areaPath
    .split('/')
    .filter(Boolean)
    .map((id): Room => `scam:${id}`)

/**
 * After commit, at most once: the reporter's own room and the scam rooms of their area. Ids and
 * the status only; clients refetch through the API, which applies the same policy as the rooms.
 */
export const publishScamReportChanged = (
  bus: EventBus,
  r: { id: string; status: string; areaPath: string; reporterId: string },
) =>
  publishAfterCommit(bus, {
    type: 'scam_report.changed',
    rooms: [`user:${r.reporterId}`, ...scamRoomsOf(r.areaPath)],
    at: new Date().toISOString(),
    reportId: r.id,
    status: r.status,
  })
