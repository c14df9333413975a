import type { Room, TRealtimeEvent } from '@common/events'
import { type EventBus, publishAfterCommit } from '../../realtime/event-bus'

const publish = (bus: EventBus, event: TRealtimeEvent) => publishAfterCommit(bus, event)

const now = () => new Date().toISOString()

/** To the responsible officer (or the unit's duty queue) and to a known sender; never names an anonymous one. */
export function publishTipChanged(
  bus: EventBus,
  t: {
    id: string
    status: string
    assigneeId: string | null
    unitId: string
    submitterId: string | null
    isAnonymous: boolean
  },
): Promise<void> {
  const rooms: Room[] = [t.assigneeId ? `user:${t.assigneeId}` : `unit:${t.unitId}`]
  if (t.submitterId && !t.isAnonymous) rooms.push(`user:${t.submitterId}`)
  return publish(bus, { type: 'tip.changed', rooms, at: now(), tipId: t.id, status: t.status })
}

export function publishCaseChanged(
  bus: EventBus,
  c: { id: string; status: string; assigneeId: string | null },
) {
  const rooms: Room[] = [`case:${c.id}`]
  if (c.assigneeId) rooms.push(`user:${c.assigneeId}`)
  return publish(bus, { type: 'case.changed', rooms, at: now(), caseId: c.id, status: c.status })
}

export function publishHelpRequestChanged(
  bus: EventBus,
  h: { id: string; status: string; groupIds: string[]; areaIds: string[]; caseId: string },
) {
  const rooms: Room[] = [
    `case:${h.caseId}`,
    ...h.groupIds.map((g): Room => `group:${g}`),
    ...h.areaIds.map((a): Room => `area:${a}`),
  ]
  return publish(bus, {
    type: 'help_request.changed',
    rooms,
    at: now(),
    helpRequestId: h.id,
    status: h.status,
  })
}
