import { randomUUID } from 'node:crypto'
import {
  CLOSE_CODES,
  type TClientMessage,
  type TRealtimeEvent,
  type TServerMessage,
  ZClientMessage,
} from '@common/events'
import type { TSyncResponse } from '@common/schemas/messaging'
import type { FastifyBaseLogger } from 'fastify'
import type { RawData, WebSocket } from 'ws'
import type { Actor } from '../lib/actor'
import { isAccessEvent, type TAccessEvent } from './access-events'
import type { BusState, EventBus } from './event-bus'

/** Decides whether a connection may join a room; each module contributes rules for its own rooms. */
export type RoomAuthoriser = (ctx: ConnectionContext, room: string) => Promise<boolean> | boolean

/**
 * Decides every room of one prefix in a subscribe at once (one query for all of them, not one per
 * room) and returns those the connection may join.
 */
export type RoomsAuthoriser = (ctx: ConnectionContext, rooms: string[]) => Promise<Iterable<string>>

/** Loads a user's actor afresh (rights changed, or the one held is old); null when the account is gone. */
export type ActorLoader = (userId: string, sessionId: string) => Promise<Actor | null>

/** Tells whether a session is still live (not signed out, revoked, expired, nor its account deleted). */
export type SessionGuard = (sessionId: string) => Promise<boolean>

/** Client messages a module handles (the hub handles rooms and pings itself). */
type ModuleMessage = Extract<TClientMessage, { type: 'alert_receipts' }>
type MessageHandler = (ctx: ConnectionContext & { actor: Actor }, message: ModuleMessage) => Promise<void>

/**
 * Reads what a signed-in socket missed after `after` (GET /api/sync's answer), with the socket's
 * actor: the messaging module's, answered with `subscribed`.
 */
export type CatchUpReader = (
  ctx: ConnectionContext & { actor: Actor },
  after: number,
) => Promise<TSyncResponse>

export interface ConnectionContext {
  connectionId: string
  /** The signed-in user and their session, when there is one (set from the cookie at the upgrade). */
  userId: string | null
  sessionId: string | null
  /**
   * What authorisers decide with: the actor resolved at the upgrade, loaded again when the user's
   * rights change (an access event, the periodic re-check) and when older than ACTOR_MAX_AGE_MS.
   */
  actor: Actor | null
  actorLoadedAt: number
}

interface Connection {
  hub: RealtimeHub
  socket: WebSocket
  ctx: ConnectionContext
  rooms: Set<string>
  /** The room joined on the server's own authority (the personal room): never re-authorised. */
  ownRoom: string | null
  /** Per-connection work runs in order: a re-check queued before a delivery finishes before it. */
  queue: Promise<void>
  /** Tasks queued and not finished: with none, a delivery that needs no check goes out at once. */
  pending: number
  /** Rooms asked for whose check failed (not denied): checked again shortly, unless unsubscribed. */
  retrying?: Set<string>
}

const isPersonalRoom = (room: string) => room.startsWith('user:')

/** How often every connection's session and rooms are checked again (catches what no event announces). */
const RECHECK_EVERY_MS = 5 * 60_000
/** An actor older than this is loaded again before it authorises a subscribe (an assignment may have ended). */
const ACTOR_MAX_AGE_MS = 60_000
/** How long an ended session or a change of rights is remembered for sockets still being upgraded. */
const TOMBSTONE_MS = 60_000
/**
 * A subscribe whose check failed (the database busy or away: a restart's reconnect storm once kept
 * the pool's connections longer than its timeout) is checked again after 1 s, doubling to 8 s, with
 * jitter, this many times, before its rooms are answered as denied.
 */
const SUBSCRIBE_RETRIES = 5
const SUBSCRIBE_RETRY_MS = 1000
const SUBSCRIBE_RETRY_MAX_MS = 8000
/** The connection behind a socket, so its listeners are shared functions, not closures per socket. */
const kConnection = Symbol('connection')
type HubSocket = WebSocket & { [kConnection]?: Connection }

/**
 * Maps committed events to rooms and rooms to sockets. It knows nothing of modules: each module
 * registers an authoriser for the room prefixes it owns (`group:`, `conversation:` …). Access
 * events on the bus (a session ended, a user's rights changed) close sockets or re-authorise their
 * rooms on every instance, so a socket never keeps receiving what its user could no longer read.
 */
export class RealtimeHub {
  private readonly connections = new Map<string, Connection>()
  private readonly rooms = new Map<string, Set<Connection>>()
  private readonly authorisers = new Map<string, RoomsAuthoriser>()
  private readonly messageHandlers = new Map<ModuleMessage['type'], MessageHandler>()
  private sessionGuard: SessionGuard = async () => true
  private actorLoader: ActorLoader | null = null
  private catchUpReader: CatchUpReader | null = null
  /** Sessions and users whose sessions ended, and users whose rights changed, lately: id → Date.now(). */
  private readonly endedAt = new Map<string, number>()
  private readonly changedAt = new Map<string, number>()
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

  /** A module claims a room prefix such as "case" and says who may join, one room at a time. */
  registerRoomAuthoriser(prefix: string, authorise: RoomAuthoriser): void {
    this.authorisers.set(prefix, async (ctx, rooms) => {
      const granted: string[] = []
      // A check that fails fails the whole prefix: its rooms are checked again, not denied.
      for (const room of rooms) if (await authorise(ctx, room)) granted.push(room)
      return granted
    })
  }

  /** A module claims a room prefix and decides all the rooms of a subscribe in one go (one query). */
  registerRoomsAuthoriser(prefix: string, authorise: RoomsAuthoriser): void {
    this.authorisers.set(prefix, authorise)
  }

  /**
   * A module takes a kind of client message that is not about rooms (alert receipts), for signed-in
   * sockets only, with the socket's actor. Not answered; a failure is logged.
   */
  registerMessageHandler<T extends ModuleMessage['type']>(
    type: T,
    handle: (
      ctx: ConnectionContext & { actor: Actor },
      message: Extract<ModuleMessage, { type: T }>,
    ) => Promise<void>,
  ): void {
    this.messageHandlers.set(type, handle as MessageHandler)
  }

  /**
   * The messaging module says how to read a socket's catch-up: a subscribe that gives `after` is
   * answered with it (a reconnect then costs the client no HTTP request of its own).
   */
  setCatchUpReader(read: CatchUpReader): void {
    this.catchUpReader = read
  }

  /** The identity module says how to load an actor afresh. */
  setActorLoader(loader: ActorLoader): void {
    this.actorLoader = loader
  }

  /** The identity module says how to tell a live session from an ended one. */
  setSessionGuard(guard: SessionGuard): void {
    this.sessionGuard = guard
  }

  get connectionCount(): number {
    return this.connections.size
  }

  /**
   * Takes a new socket, for the actor its upgrade resolved (null: anonymous) at `checkedAt`. When
   * the session ended while the socket was being upgraded, the socket is closed at once; when the
   * user's rights changed meanwhile, the actor is loaded again before it authorises anything.
   */
  attach(socket: WebSocket, actor: Actor | null, checkedAt = Date.now()): ConnectionContext | null {
    if (actor && this.changedSince(this.endedAt, [actor.sessionId, actor.userId], checkedAt)) {
      socket.close(CLOSE_CODES.sessionEnded, 'session ended')
      return null
    }
    const stale = actor !== null && this.changedSince(this.changedAt, [actor.userId], checkedAt)
    const ctx: ConnectionContext = {
      connectionId: randomUUID(),
      userId: actor?.userId ?? null,
      sessionId: actor?.sessionId ?? null,
      actor,
      actorLoadedAt: stale ? 0 : checkedAt,
    }
    const conn: Connection = {
      hub: this,
      socket,
      ctx,
      rooms: new Set(),
      ownRoom: null,
      queue: Promise.resolve(),
      pending: 0,
    }
    this.connections.set(ctx.connectionId, conn)
    ;(socket as HubSocket)[kConnection] = conn
    socket.on('message', RealtimeHub.onSocketMessage)
    socket.on('close', RealtimeHub.onSocketGone)
    socket.on('error', RealtimeHub.onSocketGone)
    this.send(conn, { type: 'hello', connectionId: ctx.connectionId })
    return ctx
  }

  // One listener of each kind shared by every socket (`this` is the socket): no closures per connection.
  private static readonly onSocketMessage = function (this: HubSocket, raw: RawData) {
    const conn = this[kConnection]
    if (conn) conn.hub.onMessage(conn, raw.toString())
  }
  private static readonly onSocketGone = function (this: HubSocket) {
    const conn = this[kConnection]
    if (conn) conn.hub.detach(conn)
  }

  /** Joins a room on the server's own authority (a user's personal room at connect). */
  join(connectionId: string, room: string): void {
    const conn = this.connections.get(connectionId)
    if (!conn) return
    conn.ownRoom = room
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
    conn.pending++
    conn.queue = conn.queue
      .then(task)
      .catch((err: unknown) => this.log.warn({ err }, 'realtime task failed'))
      .finally(() => {
        conn.pending--
      })
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
        const { rooms, after } = msg.data
        for (const room of rooms) conn.retrying?.delete(room)
        void this.enqueue(conn, () => this.subscribe(conn, rooms, 0, after))
        return
      }
      case 'alert_receipts': {
        const handle = this.messageHandlers.get(msg.data.type)
        const ctx = conn.ctx
        if (handle && ctx.actor)
          handle({ ...ctx, actor: ctx.actor }, msg.data).catch((err: unknown) =>
            this.log.warn({ err, type: msg.data.type }, 'realtime message failed'),
          )
        return
      }
      case 'unsubscribe':
        for (const room of msg.data.rooms) {
          conn.retrying?.delete(room)
          if (room !== conn.ownRoom) this.removeFromRoom(conn, room)
        }
        return
    }
  }

  /**
   * Joins the rooms the user may join and answers `subscribed` (the client catches up on it). Rooms
   * whose check failed are in neither list: they are checked again a little later, and that check's
   * `subscribed` (another catch-up) follows; denied only after SUBSCRIBE_RETRIES failures. Given
   * `after`, the answer carries the catch-up, read once the rooms are joined: every event published
   * after that read reaches the socket, and what came before is in the answer.
   */
  private async subscribe(conn: Connection, rooms: string[], attempt: number, after?: number): Promise<void> {
    const { granted: allowed, failed } = await this.authorise(conn, rooms)
    const granted: string[] = []
    const denied: string[] = []
    const retry: string[] = []
    for (const room of rooms) {
      if (allowed.has(room)) {
        this.addToRoom(conn, room)
        granted.push(room)
      } else if (failed.has(room) && attempt < SUBSCRIBE_RETRIES) retry.push(room)
      else denied.push(room)
    }
    if (after === undefined) this.send(conn, { type: 'subscribed', rooms: granted, denied })
    else
      this.send(conn, { type: 'subscribed', rooms: granted, denied, sync: await this.catchUp(conn, after) })
    if (retry.length === 0) return
    conn.retrying ??= new Set()
    for (const room of retry) conn.retrying.add(room)
    const base = Math.min(SUBSCRIBE_RETRY_MAX_MS, SUBSCRIBE_RETRY_MS * 2 ** attempt)
    const timer = setTimeout(
      () => {
        if (this.connections.get(conn.ctx.connectionId) !== conn) return
        const again = retry.filter((room) => conn.retrying?.delete(room))
        if (conn.retrying?.size === 0) conn.retrying = undefined
        if (again.length > 0) void this.enqueue(conn, () => this.subscribe(conn, again, attempt + 1))
      },
      base / 2 + (Math.random() * base) / 2,
    )
    timer.unref()
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
      const now = Date.now()
      for (const id of [...event.sessionIds, ...event.userIds]) this.remember(this.endedAt, id, now)
      const sessionIds = new Set(event.sessionIds)
      const userIds = new Set(event.userIds)
      for (const conn of [...this.connections.values()]) {
        const { sessionId, userId } = conn.ctx
        if ((sessionId && sessionIds.has(sessionId)) || (userId && userIds.has(userId))) this.end(conn)
      }
      return
    }
    const now = Date.now()
    for (const id of event.userIds) this.remember(this.changedAt, id, now)
    const userIds = new Set(event.userIds)
    for (const conn of this.connections.values())
      if (conn.ctx.userId && userIds.has(conn.ctx.userId)) {
        // Whatever runs next for this socket decides with the user's new rights.
        conn.ctx.actorLoadedAt = 0
        void this.enqueue(conn, () => this.recheckRooms(conn, event.onlyRooms))
      }
  }

  private remember(ids: Map<string, number>, id: string, now: number): void {
    ids.set(id, now)
    if (ids.size < 1024) return
    for (const [key, at] of ids) if (now - at > TOMBSTONE_MS) ids.delete(key)
  }

  /** Whether any of `ids` was marked in `marks` at or after `since` (within the tombstone window). */
  private changedSince(marks: Map<string, number>, ids: string[], since: number): boolean {
    const now = Date.now()
    return ids.some((id) => {
      const at = marks.get(id)
      return at !== undefined && at >= since && now - at <= TOMBSTONE_MS
    })
  }

  /** Leaves, and tells the client, every chosen room its user may no longer join. */
  private async recheckRooms(conn: Connection, only?: string[]): Promise<void> {
    await this.reloadActor(conn)
    const chosen = [...conn.rooms].filter((room) => room !== conn.ownRoom && (!only || only.includes(room)))
    if (chosen.length === 0) return
    // A check that failed evicts too: rights that cannot be confirmed are not kept.
    const { granted: allowed } = await this.authorise(conn, chosen)
    const evicted = chosen.filter((room) => !allowed.has(room))
    for (const room of evicted) this.removeFromRoom(conn, room)
    if (evicted.length > 0) this.send(conn, { type: 'evicted', rooms: evicted })
  }

  /** The actor afresh from the database (null when it cannot be loaded: nothing is granted then). */
  private async reloadActor(conn: Connection): Promise<void> {
    const { ctx } = conn
    if (!ctx.userId || !ctx.sessionId || !this.actorLoader) return
    try {
      ctx.actor = await this.actorLoader(ctx.userId, ctx.sessionId)
    } catch (err) {
      this.log.warn({ err }, 'actor could not be loaded')
      ctx.actor = null
    }
    ctx.actorLoadedAt = ctx.actor ? Date.now() : 0
  }

  /**
   * Which of `rooms` the connection may join: the rooms of each prefix go to their module's
   * authoriser together, so a subscribe costs one query per kind of room, not one per room.
   */
  private async authorise(
    conn: Connection,
    rooms: string[],
  ): Promise<{ granted: Set<string>; failed: Set<string> }> {
    if (conn.ctx.userId && Date.now() - conn.ctx.actorLoadedAt > ACTOR_MAX_AGE_MS)
      await this.reloadActor(conn)
    const byPrefix = new Map<string, string[]>()
    for (const room of new Set(rooms)) {
      const prefix = room.slice(0, room.indexOf(':'))
      const same = byPrefix.get(prefix) ?? []
      byPrefix.set(prefix, same)
      same.push(room)
    }
    const granted = new Set<string>()
    const failed = new Set<string>()
    await Promise.all(
      [...byPrefix].map(async ([prefix, asked]) => {
        const authorise = this.authorisers.get(prefix)
        if (!authorise) return
        const allowed = await this.safely(prefix, () => authorise(conn.ctx, asked))
        if (allowed === undefined) for (const room of asked) failed.add(room)
        const isAsked = new Set(asked)
        for (const room of allowed ?? []) if (isAsked.has(room)) granted.add(room)
      }),
    )
    return { granted, failed }
  }

  /** The socket's catch-up after `after`; null when there is none to read or it failed (logged). */
  private async catchUp(conn: Connection, after: number): Promise<TSyncResponse | null> {
    const read = this.catchUpReader
    const actor = conn.ctx.actor
    if (!read || !actor) return null
    try {
      return await read({ ...conn.ctx, actor }, after)
    } catch (err) {
      this.log.warn({ err }, 'catch-up on subscribe failed')
      return null
    }
  }

  /** An authoriser that fails grants nothing (and is logged). */
  private async safely<T>(what: string, run: () => Promise<T> | T): Promise<T | undefined> {
    try {
      return await run()
    } catch (err) {
      this.log.warn({ err, room: what }, 'room authorisation failed')
      return undefined
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
   * Each socket gets an event once, even when it sits in several of the event's rooms. A socket
   * with work queued gets it in its turn, membership read again then (a re-check queued earlier may
   * have evicted it); one with nothing queued gets it at once. An event for a personal room goes
   * out only while the session is still live (when that cannot be checked, the client is asked to
   * resync instead of missing the event).
   */
  private deliver(event: TRealtimeEvent): void {
    const targets = new Set<Connection>()
    for (const room of event.rooms) for (const conn of this.rooms.get(room) ?? []) targets.add(conn)
    if (targets.size === 0) return
    this.stats.eventsFannedOut++
    // Serialised and encoded once for every socket (a string would be encoded again per socket).
    const frame = Buffer.from(JSON.stringify({ type: 'event', event } satisfies TServerMessage))
    for (const conn of targets) {
      const via = event.rooms.filter((room) => conn.rooms.has(room))
      if (via.length === 0) continue
      // The common case (a group or conversation room, nothing queued before it) costs no promise:
      // with 5,000 members, one per socket was most of the fan-out's time.
      if (conn.pending === 0 && !via.some(isPersonalRoom)) this.sendFrame(conn, frame)
      else void this.enqueue(conn, () => this.deliverChecked(conn, event, frame))
    }
  }

  /** In the connection's turn: the rooms again (a re-check may have left some), then the session. */
  private async deliverChecked(conn: Connection, event: TRealtimeEvent, frame: Buffer): Promise<void> {
    const via = event.rooms.filter((room) => conn.rooms.has(room))
    if (via.length === 0) return
    if (via.some(isPersonalRoom)) {
      const state = await this.sessionState(conn)
      if (state === 'ended') return this.end(conn)
      // The database could not say (it is away). What also came through a room the client chose
      // (authorised when it joined) goes out as usual; an event for the personal room alone is
      // not sent to a session nobody could check, but dropping it would leave the client without
      // it for good: it is asked to reconnect and resync, and gets it from the database.
      if (state === 'unknown' && via.every(isPersonalRoom))
        return conn.socket.close(CLOSE_CODES.goingAway, 'resync')
    }
    this.sendFrame(conn, frame)
  }

  private sendFrame(conn: Connection, frame: Buffer): void {
    if (conn.socket.readyState !== conn.socket.OPEN) return
    conn.socket.send(frame, { binary: false })
    this.stats.framesSent++
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
