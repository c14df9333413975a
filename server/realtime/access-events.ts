import { ZRealtimeEvent, ZRoom } from '@common/events'
import { z } from 'zod'

/**
 * Bus-only events: they tell every app instance that what a connection may receive has changed.
 * They travel the same bus as the room events (so ordering holds: an eviction published before a
 * message reaches each instance before that message) but are never sent to a socket.
 */
export const ZSessionsEndedEvent = z.object({
  type: z.literal('access.sessions_ended'),
  at: z.string(),
  /** Sign-out, "sign out other browsers", a revoked session: its sockets close. */
  sessionIds: z.array(z.uuid()),
  /** A deleted account: every socket of the user closes. */
  userIds: z.array(z.uuid()),
})
export const ZAccessChangedEvent = z.object({
  type: z.literal('access.changed'),
  at: z.string(),
  /** Users whose grants, assignments, area or memberships changed: their rooms are re-authorised. */
  userIds: z.array(z.uuid()).min(1),
  /** Only these rooms are re-checked (e.g. one group); all of the user's rooms when absent. */
  onlyRooms: z.array(ZRoom).optional(),
})
/**
 * An instance that was apart from Redis delivered events to its own clients only: once it is back,
 * every other instance asks its clients to resync (theirs may have resynced before it returned).
 */
export const ZResyncEvent = z.object({
  type: z.literal('access.resync'),
  at: z.string(),
  /** The bus that asks (it does not ask its own clients twice). */
  from: z.string(),
})
export const ZAccessEvent = z.discriminatedUnion('type', [
  ZSessionsEndedEvent,
  ZAccessChangedEvent,
  ZResyncEvent,
])
export type TAccessEvent = z.infer<typeof ZAccessEvent>

/** Everything the bus carries: room events for sockets, and access changes for the hubs. */
export const ZBusEvent = z.union([ZRealtimeEvent, ZAccessEvent])
export type TBusEvent = z.infer<typeof ZBusEvent>

export const isAccessEvent = (event: TBusEvent): event is TAccessEvent => event.type.startsWith('access.')

const now = () => new Date().toISOString()

export const sessionsEnded = (sessionIds: string[], userIds: string[] = []): TAccessEvent => ({
  type: 'access.sessions_ended',
  at: now(),
  sessionIds,
  userIds,
})

export const accessChanged = (userIds: string[], onlyRooms?: string[]): TAccessEvent => ({
  type: 'access.changed',
  at: now(),
  userIds,
  ...(onlyRooms ? { onlyRooms } : {}),
})

export const resyncRequested = (from: string): TAccessEvent => ({ type: 'access.resync', at: now(), from })
