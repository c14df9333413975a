import { randomUUID } from 'node:crypto'
import { CLOSE_CODES, type TRealtimeEvent, type TServerMessage, ZClientMessage } from '@common/events'
import type { FastifyBaseLogger } from 'fastify'
import type { WebSocket } from 'ws'
import { isAccessEvent, type TAccessEvent } from './access-events'
import type { BusState, EventBus } from './event-bus'

/** Decides whether a connection may join a room; each module contributes rules for its own rooms. */
export type RoomAuthoriser = (ctx: ConnectionContext, room: string) => Promise<boolean> | boolean

/** Tells whether a session is still live (not signed out, revoked, expired, nor its account deleted). */
export type SessionGuard = (sessionId: string) => Promise<boolean>

export interface ConnectionContext {
  connectionId: string
  /** The signed-in user and their session, when there is one (set from the cookie at the upgrade). */
  userId: string | null
  sessionId: string | null
  /** Authorisers' per-connection cache (an actor…); emptied whenever the rooms are re-checked. */
  data: Record<string, unknown>
}

interface Connection {
  socket: WebSocket
  ctx: ConnectionContext
  rooms: Set<string>
  /** Rooms joined on the server's own authority (the personal room): never re-authorised. */
  ownRooms: Set<string>
  /** Per-connection work runs in order: a re-check queued before a delivery finishes before it. */
  queue: Promise<void>
}

/** How often every connection's session and rooms are checked again (catches what no event announces). */
const RECHECK_EVERY_MS = 5 * 60_000

/**
 * Maps committed events to rooms and rooms to sockets. It knows nothing of modules: each module
 * registers an authoriser for the room prefixes it owns (`group:`, `conversation:` …). Access
 * events on the bus (a session ended, a user's rights changed) close sockets or re-authorise their
 * rooms on every instance, so a socket never keeps receiving what its user could no longer read.
 */
export class RealtimeHub {
  private readonly connections = new Map<string, Connection>()
  private readonly rooms = new Map<string, Set<Connection>>()
  private readonly authorisers = new Map<string, RoomAuthoriser>()
  private sessionGuard: SessionGuard = async () => true
  private readonly unsubscribeBus: () => void
  private readonly unwatchBus: () => void
  private readonly recheckTimer: ReturnType<typeof setInterval>
  /** Running totals since start, read by GET /metrics. */
  readonly stats = { eventsFannedOut: 0, framesSent: 0 }

  constructor(
    bus: EventBus,
    private readonly log: FastifyBaseLogger,
    recheckEveryMs = RECHECK_EVERY_MS,
  ) {
    this.unsubscribeBus = bus.subscribe((event) =>
      isAccessEvent(event) ? this.onAccess(event) : this.deliver(event),
    )
    this.unwatchBus = bus.onStateChange((state) => this.onBusState(state))
    // Redis already away when the instance starts: the same one line as when it goes away later.
    if (bus.state() === 'degraded') this.onBusState('degraded')
    this.recheckTimer = setInterval(() => this.recheckAll(), recheckEveryMs)
    this.recheckTimer.unref()
  }

  /**
   * Redis went away: this instance keeps serving its own clients (the bus delivers locally).
   * Redis is back: what other instances sent meanwhile never reached our clients, so each is asked
   * to reconnect, and a reconnecting client resyncs from the database.
   */
  private onBusState(state: BusState): void {
    if (state === 'degraded') {
      this.log.warn("redis unreachable: realtime events reach this instance's own clients only")
      return
    }
    this.log.info({ clients: this.connections.size }, 'redis reachable again: clients asked to resync')
    this.askAllToResync()
  }

  /** Each client reconnects and fetches from the database what it missed (GET /api/sync, the lists). */
  private askAllToResync(): void {
    for (const conn of [...this.connections.values()]) conn.socket.close(CLOSE_CODES.goingAway, 'resync')
  }

  /** A module claims a room prefix such as "group" and says who may join. */
  registerRoomAuthoriser(prefix: string, authorise: RoomAuthoriser): void {
    this.authorisers.set(prefix, authorise)
  }

  /** The identity module says how to tell a live session from an ended one. */
  setSessionGuard(guard: SessionGuard): void {
    this.sessionGuard = guard
  }

  get connectionCount(): number {
    return this.connections.size
  }

  attach(
    socket: WebSocket,
    identity: { userId: string; sessionId: string } | null,
    data: Record<string, unknown> = {},
  ): ConnectionContext {
    const ctx: ConnectionContext = {
      connectionId: randomUUID(),
      userId: identity?.userId ?? null,
      sessionId: identity?.sessionId ?? null,
      data,
    }
    const conn: Connection = { socket, ctx, rooms: new Set(), ownRooms: new Set(), queue: Promise.resolve() }
    this.connections.set(ctx.connectionId, conn)
    socket.on('message', (raw) => this.onMessage(conn, raw.toString()))
    socket.on('close', () => this.detach(conn))
    socket.on('error', () => this.detach(conn))
    this.send(conn, { type: 'hello', connectionId: ctx.connectionId })
    return ctx
  }

  /** Joins rooms on the server's own authority (e.g. a user's personal room at connect). */
  join(connectionId: string, room: string): void {
    const conn = this.connections.get(connectionId)
    if (!conn) return
    conn.ownRooms.add(room)
    this.addToRoom(conn, room)
  }

  /** Re-checks every connection now: its session, then each room it chose. Runs on a timer too. */
  recheckAll(): Promise<void> {
    const all = [...this.connections.values()].map((conn) =>
      this.enqueue(conn, async () => {
        if ((await this.sessionState(conn)) === 'ended') return this.end(conn)
        await this.recheckRooms(conn)
      }),
    )
    return Promise.all(all).then(() => undefined)
  }

  private enqueue(conn: Connection, task: () => void | Promise<void>): Promise<void> {
    conn.queue = conn.queue.then(task).catch((err: unknown) => this.log.warn({ err }, 'realtime task failed'))
    return conn.queue
  }

  private onMessage(conn: Connection, raw: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      this.send(conn, { type: 'error', code: 'bad_json', message: 'Message is not JSON' })
      return
    }
    const msg = ZClientMessage.safeParse(parsed)
    if (!msg.success) {
      this.send(conn, { type: 'error', code: 'bad_message', message: msg.error.message })
      return
    }
    switch (msg.data.type) {
      case 'ping':
        this.send(conn, { type: 'pong' })
        return
      case 'subscribe': {
        const rooms = msg.data.rooms
        void this.enqueue(conn, async () => {
          const granted: string[] = []
          const denied: string[] = []
          for (const room of rooms) {
            if (await this.mayJoin(conn.ctx, room)) {
              this.addToRoom(conn, room)
              granted.push(room)
            } else denied.push(room)
          }
          this.send(conn, { type: 'subscribed', rooms: granted, denied })
        })
        return
      }
      case 'unsubscribe':
        for (const room of msg.data.rooms) if (!conn.ownRooms.has(room)) this.removeFromRoom(conn, room)
        return
    }
  }

  private onAccess(event: TAccessEvent): void {
    if (event.type === 'access.resync') {
      this.log.info(
        { clients: this.connections.size },
        'realtime: clients asked to resync (another instance served only its own clients while apart from redis)',
      )
      this.askAllToResync()
      return
    }
    if (event.type === 'access.sessions_ended') {
      for (const conn of [...this.connections.values()]) {
        const { sessionId, userId } = conn.ctx
        if ((sessionId && event.sessionIds.includes(sessionId)) || (userId && event.userIds.includes(userId)))
          this.end(conn)
      }
      return
    }
    for (const conn of this.connections.values())
      if (conn.ctx.userId && event.userIds.includes(conn.ctx.userId))
        void this.enqueue(conn, () => this.recheckRooms(conn, event.onlyRooms))
  }

  /** Leaves, and tells the client, every chosen room its user may no longer join. */
  private async recheckRooms(conn: Connection, only?: string[]): Promise<void> {
    for (const key of Object.keys(conn.ctx.data)) delete conn.ctx.data[key]
    const evicted: string[] = []
    for (const room of [...conn.rooms]) {
      if (conn.ownRooms.has(room) || (only && !only.includes(room))) continue
      if (await this.mayJoin(conn.ctx, room)) continue
      this.removeFromRoom(conn, room)
      evicted.push(room)
    }
    if (evicted.length > 0) this.send(conn, { type: 'evicted', rooms: evicted })
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

  /** 'unknown' when the check itself failed: nothing is delivered then, but the socket stays. */
  private async sessionState(conn: Connection): Promise<'live' | 'ended' | 'unknown'> {
    if (!conn.ctx.sessionId) return 'live'
    try {
      return (await this.sessionGuard(conn.ctx.sessionId)) ? 'live' : 'ended'
    } catch (err) {
      this.log.warn({ err }, 'session check failed')
      return 'unknown'
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

  /** The session is over: nothing more is delivered, and the client learns why. */
  private end(conn: Connection): void {
    this.detach(conn)
    conn.socket.close(CLOSE_CODES.sessionEnded, 'session ended')
  }

  private detach(conn: Connection): void {
    if (!this.connections.delete(conn.ctx.connectionId)) return
    for (const room of conn.rooms) this.removeFromRoom(conn, room)
  }

  /**
   * Each socket gets an event once, even when it sits in several of the event's rooms. Membership
   * is read again when the socket's turn comes (a re-check queued earlier may have evicted it), and
   * an event for a personal room goes out only while the session is still live (when that cannot be
   * checked, the client is asked to resync instead of missing the event).
   */
  private deliver(event: TRealtimeEvent): void {
    const targets = new Set<Connection>()
    for (const room of event.rooms) for (const conn of this.rooms.get(room) ?? []) targets.add(conn)
    if (targets.size === 0) return
    this.stats.eventsFannedOut++
    const frame = JSON.stringify({ type: 'event', event } satisfies TServerMessage)
    for (const conn of targets)
      void this.enqueue(conn, async () => {
        const via = event.rooms.filter((room) => conn.rooms.has(room))
        if (via.length === 0) return
        const personal = (room: string) => room.startsWith('user:')
        if (via.some(personal)) {
          const state = await this.sessionState(conn)
          if (state === 'ended') return this.end(conn)
          // The database could not say (it is away). What also came through a room the client chose
          // (authorised when it joined) goes out as usual; an event for the personal room alone is
          // not sent to a session nobody could check, but dropping it would leave the client without
          // it for good: it is asked to reconnect and resync, and gets it from the database.
          if (state === 'unknown' && via.every(personal))
            return conn.socket.close(CLOSE_CODES.goingAway, 'resync')
        }
        if (conn.socket.readyState !== conn.socket.OPEN) return
        conn.socket.send(frame)
        this.stats.framesSent++
      })
  }

  private send(conn: Connection, msg: TServerMessage): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(msg))
  }

  /** Shutdown: every client is told the server is going away, so it reconnects elsewhere or later. */
  close(): void {
    this.unsubscribeBus()
    this.unwatchBus()
    clearInterval(this.recheckTimer)
    for (const conn of this.connections.values())
      conn.socket.close(CLOSE_CODES.goingAway, 'server shutting down')
    this.connections.clear()
    this.rooms.clear()
  }
}
