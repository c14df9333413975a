import { z } from 'zod'

/**
 * The real-time event union. Every event names the rooms it goes to; the hub delivers it to
 * sockets subscribed to any of them. Payloads carry ids and small facts: clients fetch details
 * through the API (write first, publish ids, resync on reconnect).
 */
export const roomPattern = /^(user|unit|area|group|conversation|alert|case|system):[\w-]{1,80}$/
export const ZRoom = z.string().regex(roomPattern)
export type Room = `${'user' | 'unit' | 'area' | 'group' | 'conversation' | 'alert' | 'case' | 'system'}:${string}`

const base = { rooms: z.array(ZRoom).min(1), at: z.string() }

export const ZSystemPingEvent = z.object({ ...base, type: z.literal('system.ping'), message: z.string() })

export const ZRealtimeEvent = z.discriminatedUnion('type', [ZSystemPingEvent])
export type TRealtimeEvent = z.infer<typeof ZRealtimeEvent>
export type TRealtimeEventType = TRealtimeEvent['type']

/** Messages a client sends over the socket. */
export const ZClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), rooms: z.array(ZRoom).min(1).max(200) }),
  z.object({ type: z.literal('unsubscribe'), rooms: z.array(ZRoom).min(1).max(200) }),
  z.object({ type: z.literal('ping') }),
])
export type TClientMessage = z.infer<typeof ZClientMessage>

/** Messages the server sends over the socket. */
export type TServerMessage =
  | { type: 'hello'; connectionId: string }
  | { type: 'subscribed'; rooms: string[]; denied: string[] }
  | { type: 'event'; event: TRealtimeEvent }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string }
