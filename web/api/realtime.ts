import { CLOSE_CODES, type TClientMessage, type TRealtimeEvent, type TServerMessage } from '@common/events'

export type RealtimeStatus = 'connecting' | 'open' | 'reconnecting' | 'closed'

/** The part of the browser WebSocket this client uses (lets tests pass a fake). */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code?: number }) => void) | null
  onerror: ((ev: unknown) => void) | null
}

export interface RealtimeOptions {
  /** Defaults to `/ws` on the page's host (ws: or wss: to match the page). */
  url?: string
  createSocket?: (url: string) => SocketLike
  minDelayMs?: number
  maxDelayMs?: number
  /** For this long after a drop, attempts are at most `quickMaxDelayMs` apart (a server restarting). */
  quickWindowMs?: number
  quickMaxDelayMs?: number
  random?: () => number
  /** Sends a ping this often and reconnects when nothing came back for two periods (0 = off). */
  heartbeatMs?: number
}

type MessageOf<T extends TServerMessage['type']> = Extract<TServerMessage, { type: T }>
type Handler<T extends TServerMessage['type']> = (message: MessageOf<T>) => void
const OPEN = 1

function resolveUrl(url: string): string {
  if (/^wss?:/i.test(url) || typeof location === 'undefined') return url
  const resolved = new URL(url, location.href)
  resolved.protocol = resolved.protocol === 'https:' ? 'wss:' : 'ws:'
  return resolved.toString()
}

/**
 * One WebSocket to the server that keeps itself connected: it reconnects with exponential backoff
 * (with jitter) and re-subscribes to its rooms. It speaks exactly the protocol of `common/events.ts`
 * (subscribe, unsubscribe, ping). Nothing is replayed over the socket: after any reconnect the
 * features fetch what they missed (messages: the catch-up carried by the `subscribed` answer, or
 * `GET /api/sync?after=`; alerts: the lists).
 */
export class RealtimeClient {
  private socket: SocketLike | null = null
  private readonly rooms = new Set<string>()
  private readonly handlers = new Map<TServerMessage['type'], Set<(m: TServerMessage) => void>>()
  private readonly statusListeners = new Set<(status: RealtimeStatus) => void>()
  private readonly endedListeners = new Set<() => void>()
  private attempt = 0
  /** When the first failed attempt since the last hello happened (the drop), by `Date.now()`. */
  private droppedAt = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private heartbeat: ReturnType<typeof setInterval> | undefined
  private lastHeardAt = 0
  private cursorForSubscribe: () => number | undefined = () => undefined
  private stopped = true
  private statusValue: RealtimeStatus = 'closed'
  private readonly opts: Required<Omit<RealtimeOptions, 'url'>> & { url: string }

  constructor(options: RealtimeOptions = {}) {
    this.opts = {
      url: options.url ?? '/ws',
      createSocket: options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike),
      minDelayMs: options.minDelayMs ?? 500,
      // At most 5 s between attempts (Socket.IO's default too) once a drop has lasted longer than
      // a restart: a long outage is not hammered, and the clients still come back within seconds.
      maxDelayMs: options.maxDelayMs ?? 5_000,
      // A restart (kill -9 and start again, a deploy) is ready 2–6 s after the drop on 2 cores. With
      // the 5 s cap a client whose attempt failed just before the server was ready waited up to 5 s
      // more, so the last of 5,000 came back ≈ 6 s after ready (bench/README.md, issue 16). For the
      // first 15 s after a drop the attempts stay at most 1 s apart, jittered, then back off as above.
      // While the server is down an attempt is a refused connection (or a proxy's 502): cheap.
      quickWindowMs: options.quickWindowMs ?? 15_000,
      quickMaxDelayMs: options.quickMaxDelayMs ?? 1_000,
      random: options.random ?? Math.random,
      heartbeatMs: options.heartbeatMs ?? 25_000,
    }
  }

  get status(): RealtimeStatus {
    return this.statusValue
  }

  connect(): void {
    if (!this.stopped) return
    this.stopped = false
    globalThis.addEventListener?.('online', this.reconnectNow)
    this.open()
  }

  close(): void {
    this.stopped = true
    clearTimeout(this.timer)
    clearInterval(this.heartbeat)
    globalThis.removeEventListener?.('online', this.reconnectNow)
    const socket = this.socket
    this.socket = null
    socket?.close(1000, 'client closed')
    this.setStatus('closed')
  }

  /** A new socket now, e.g. after sign-in, so the server sees the new session cookie. */
  reconnect(): void {
    if (this.stopped) return
    const socket = this.socket
    this.socket = null
    socket?.close(1000, 'new session')
    clearTimeout(this.timer)
    this.attempt = 0
    this.open()
  }

  /** Whether rooms are joined on every open: the server's `subscribed` answer then follows it. */
  get joinsRooms(): boolean {
    return this.rooms.size > 0
  }

  /** Joins rooms now (if connected) and again after every reconnect. */
  subscribe(rooms: string[]): void {
    const added = rooms.filter((room) => !this.rooms.has(room))
    for (const room of added) this.rooms.add(room)
    if (added.length > 0 && this.socket?.readyState === OPEN) this.sendSubscribe(added)
  }

  /**
   * Asked as each subscribe is about to go: a cursor it answers goes with it, and the server's
   * `subscribed` then carries the catch-up after it (the messages stream's, one request less per
   * reconnect).
   */
  catchUpOnSubscribe(cursor: () => number | undefined): void {
    this.cursorForSubscribe = cursor
  }

  unsubscribe(rooms: string[]): void {
    const removed = rooms.filter((room) => this.rooms.delete(room))
    if (removed.length > 0) this.send({ type: 'unsubscribe', rooms: removed })
  }

  /** Listens to server messages of one type. Returns the function that stops listening. */
  on<T extends TServerMessage['type']>(type: T, handler: Handler<T>): () => void {
    const set = this.handlers.get(type) ?? new Set()
    this.handlers.set(type, set)
    const untyped = handler as (m: TServerMessage) => void
    set.add(untyped)
    return () => set.delete(untyped)
  }

  /** Listens to real-time events (the `event` frames), typed by the shared union. */
  onEvent(handler: (event: TRealtimeEvent) => void): () => void {
    return this.on('event', (m) => handler(m.event))
  }

  onStatus(listener: (status: RealtimeStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** The server closed the socket because the session ended (signed out, revoked, account deleted). */
  onSessionEnded(listener: () => void): () => void {
    this.endedListeners.add(listener)
    return () => this.endedListeners.delete(listener)
  }

  /** Sends on the socket when it is open; false when it is not (the caller uses HTTP instead). */
  sendIfOpen(message: TClientMessage): boolean {
    return this.send(message)
  }

  private send(message: TClientMessage): boolean {
    if (this.socket?.readyState !== OPEN) return false
    this.socket.send(JSON.stringify(message))
    return true
  }

  private sendSubscribe(rooms: string[]): void {
    const after = this.cursorForSubscribe()
    this.send(after === undefined ? { type: 'subscribe', rooms } : { type: 'subscribe', rooms, after })
  }

  private open(): void {
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting')
    const socket = this.opts.createSocket(resolveUrl(this.opts.url))
    this.socket = socket
    socket.onopen = () => {
      this.setStatus('open')
      this.startHeartbeat(socket)
      if (this.rooms.size > 0) this.sendSubscribe([...this.rooms])
    }
    socket.onmessage = (ev) => this.receive(ev.data)
    socket.onerror = () => {} // a close event always follows; reconnecting happens there
    socket.onclose = (ev) => {
      if (this.socket === socket && ev?.code === CLOSE_CODES.sessionEnded)
        for (const listener of this.endedListeners) listener()
      this.dropped(socket)
    }
  }

  private dropped(socket: SocketLike): void {
    if (this.socket !== socket) return
    this.socket = null
    clearInterval(this.heartbeat)
    if (!this.stopped) this.scheduleReconnect()
  }

  // A phone that changes network often keeps a dead socket "open" for minutes; the ping/pong
  // exchange notices it and reconnects, so missed events are fetched again quickly.
  private startHeartbeat(socket: SocketLike): void {
    clearInterval(this.heartbeat)
    this.lastHeardAt = Date.now()
    const period = this.opts.heartbeatMs
    if (period <= 0) return
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastHeardAt > 2 * period) {
        socket.close(4000, 'heartbeat timeout')
        this.dropped(socket)
      } else this.send({ type: 'ping' })
    }, period)
  }

  private receive(data: unknown): void {
    this.lastHeardAt = Date.now()
    let message: TServerMessage
    try {
      const parsed: unknown = JSON.parse(String(data))
      if (
        parsed === null ||
        typeof parsed !== 'object' ||
        typeof (parsed as TServerMessage).type !== 'string'
      )
        return
      message = parsed as TServerMessage
    } catch {
      return
    }
    // A hello means the server accepted us: the next drop starts again from the shortest delay.
    if (message.type === 'hello') this.attempt = 0
    // Rooms the user may no longer read are forgotten, so a reconnect does not ask for them again.
    if (message.type === 'evicted') for (const room of message.rooms) this.rooms.delete(room)
    for (const handler of this.handlers.get(message.type) ?? []) {
      try {
        handler(message)
      } catch (err) {
        console.error('realtime handler failed', err)
      }
    }
  }

  private scheduleReconnect(): void {
    const now = Date.now()
    if (this.attempt === 0) this.droppedAt = now
    const quick = now - this.droppedAt < this.opts.quickWindowMs
    const cap = quick ? Math.min(this.opts.quickMaxDelayMs, this.opts.maxDelayMs) : this.opts.maxDelayMs
    // Equal jitter: between half and all of the step, so 5,000 clients dropped at the same moment
    // spread their attempts over the step instead of arriving together.
    const base = Math.min(cap, this.opts.minDelayMs * 2 ** this.attempt)
    const delay = base / 2 + (this.opts.random() * base) / 2
    this.attempt += 1
    this.setStatus('reconnecting')
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.open(), delay)
  }

  private readonly reconnectNow = (): void => {
    if (this.stopped || this.socket) return
    clearTimeout(this.timer)
    this.open()
  }

  private setStatus(status: RealtimeStatus): void {
    if (status === this.statusValue) return
    this.statusValue = status
    for (const listener of this.statusListeners) listener(status)
  }
}

let shared: RealtimeClient | null = null
const sessionEndedListeners = new Set<() => void>()

/** The one socket the page shares (messaging, alerts…), opened on first use. */
export function realtime(): RealtimeClient {
  if (!shared) {
    shared = new RealtimeClient()
    shared.onSessionEnded(() => {
      for (const listener of sessionEndedListeners) listener()
    })
    shared.connect()
  }
  return shared
}

/** After sign-in or sign-out: the page's socket (if open) reconnects with the new cookie. */
export function reconnectRealtime(): void {
  shared?.reconnect()
}

/** Listens for the server ending this browser's session over the socket, without opening one. */
export function onRealtimeSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener)
  return () => sessionEndedListeners.delete(listener)
}
