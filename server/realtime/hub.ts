import { randomUUID } from 'node:crypto'
import { type TRealtimeEvent, type TServerMessage, ZClientMessage } from '@common/events'
import type { FastifyBaseLogger } from 'fastify'
import type { WebSocket } from 'ws'
import type { EventBus } from './event-bus'

/** Decides whether a connection may join a room; each module contributes rules for its own rooms. */
export type RoomAuthoriser = (ctx: ConnectionContext, room: string) => Promise<boolean> | boolean

export interface ConnectionContext {
  connectionId: string
  /** The signed-in user, when there is one (the identity module sets it). */
  userId: string | null
  data: Record<string, unknown>
}

interface Connection {
  socket: WebSocket
  ctx: ConnectionContext
  rooms: Set<string>
}

/** WebSocket close code 1001: the server is going away (shutdown). */
export const CLOSE_GOING_AWAY = 1001

/**
 * Maps committed events to rooms and rooms to sockets. It knows nothing of modules: each module
 * registers an authoriser for the room prefixes it owns (`group:`, `conversation:` …).
 */
export class RealtimeHub {
  private readonly connections = new Map<string, Connection>()
  private readonly rooms = new Map<string, Set<Connection>>()
  private readonly authorisers = new Map<string, RoomAuthoriser>()
  private readonly unsubscribeBus: () => void

  constructor(
    bus: EventBus,
    private readonly log: FastifyBaseLogger,
  ) {
    this.unsubscribeBus = bus.subscribe((event) => this.deliver(event))
  }

  /** A module claims a room prefix such as "group" and says who may join. */
  registerRoomAuthoriser(prefix: string, authorise: RoomAuthoriser): void {
    this.authorisers.set(prefix, authorise)
  }

  get connectionCount(): number {
    return this.connections.size
  }

  attach(socket: WebSocket, userId: string | null, data: Record<string, unknown> = {}): ConnectionContext {
    const ctx: ConnectionContext = { connectionId: randomUUID(), userId, data }
    const conn: Connection = { socket, ctx, rooms: new Set() }
    this.connections.set(ctx.connectionId, conn)
    socket.on('message', (raw) => void this.onMessage(conn, raw.toString()))
    socket.on('close', () => this.detach(conn))
    socket.on('error', () => this.detach(conn))
    this.send(conn, { type: 'hello', connectionId: ctx.connectionId })
    return ctx
  }

  /** Joins rooms on the server's own authority (e.g. a user's personal room at connect). */
  join(connectionId: string, room: string): void {
    const conn = this.connections.get(connectionId)
    if (conn) this.addToRoom(conn, room)
  }

  private async onMessage(conn: Connection, raw: string): Promise<void> {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      return this.send(conn, { type: 'error', code: 'bad_json', message: 'Message is not JSON' })
    }
    const msg = ZClientMessage.safeParse(parsed)
    if (!msg.success)
      return this.send(conn, { type: 'error', code: 'bad_message', message: msg.error.message })
    switch (msg.data.type) {
      case 'ping':
        return this.send(conn, { type: 'pong' })
      case 'subscribe': {
        const granted: string[] = []
        const denied: string[] = []
        for (const room of msg.data.rooms) {
          if (await this.mayJoin(conn.ctx, room)) {
            this.addToRoom(conn, room)
            granted.push(room)
          } else denied.push(room)
        }
        return this.send(conn, { type: 'subscribed', rooms: granted, denied })
      }
      case 'unsubscribe':
        for (const room of msg.data.rooms) this.removeFromRoom(conn, room)
        return
    }
  }

  private async mayJoin(ctx: ConnectionContext, room: string): Promise<boolean> {
    const prefix = room.slice(0, room.indexOf(':'))
    const authorise = this.authorisers.get(prefix)
    if (!authorise) return false
    try {
      return await authorise(ctx, room)
    } catch (err) {
      this.log.warn({ err, room }, 'room authorisation failed')
      return false
    }
  }

  private addToRoom(conn: Connection, room: string): void {
    conn.rooms.add(room)
    const members = this.rooms.get(room) ?? new Set<Connection>()
    this.rooms.set(room, members)
    members.add(conn)
  }

  private removeFromRoom(conn: Connection, room: string): void {
    conn.rooms.delete(room)
    const members = this.rooms.get(room)
    members?.delete(conn)
    if (members?.size === 0) this.rooms.delete(room)
  }

  private detach(conn: Connection): void {
    if (!this.connections.delete(conn.ctx.connectionId)) return
    for (const room of conn.rooms) this.removeFromRoom(conn, room)
  }

  /** Each socket gets an event once, even when it sits in several of the event's rooms. */
  private deliver(event: TRealtimeEvent): void {
    const targets = new Set<Connection>()
    for (const room of event.rooms) for (const conn of this.rooms.get(room) ?? []) targets.add(conn)
    if (targets.size === 0) return
    const frame = JSON.stringify({ type: 'event', event } satisfies TServerMessage)
    for (const conn of targets) if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(frame)
  }

  private send(conn: Connection, msg: TServerMessage): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(msg))
  }

  /** Shutdown: every client is told the server is going away, so it reconnects elsewhere or later. */
  close(): void {
    this.unsubscribeBus()
    for (const conn of this.connections.values()) conn.socket.close(CLOSE_GOING_AWAY, 'server shutting down')
    this.connections.clear()
    this.rooms.clear()
  }
}
