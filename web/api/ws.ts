/** A message on the real-time socket: JSON with a `type`. */
export interface RealtimeMessage {
  type: string
  [key: string]: unknown
}

export type RealtimeStatus = 'connecting' | 'open' | 'reconnecting' | 'closed'
export type Cursor = string | number

/** The part of the browser WebSocket this client uses (lets tests pass a fake). */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
}

export interface RealtimeOptions {
  /** Defaults to `/ws` on the page's host (ws: or wss: to match the page). */
  url?: string
  createSocket?: (url: string) => SocketLike
  minDelayMs?: number
  maxDelayMs?: number
  random?: () => number
  /** Sends a ping this often and reconnects when nothing came back for two periods (0 = off). */
  heartbeatMs?: number
  /** Reads the stream and cursor of a server event; the default uses `event.stream` and `event.cursor ?? event.id`. */
  cursorOf?: (event: Record<string, unknown>) => { stream: string; cursor: Cursor } | undefined
}

type Handler = (message: RealtimeMessage) => void
const OPEN = 1

function defaultCursorOf(event: Record<string, unknown>): { stream: string; cursor: Cursor } | undefined {
  const cursor = event.cursor ?? event.id
  if (typeof cursor !== 'string' && typeof cursor !== 'number') return undefined
  return { stream: typeof event.stream === 'string' ? event.stream : 'default', cursor }
}

function resolveUrl(url: string): string {
  if (/^wss?:/i.test(url) || typeof location === 'undefined') return url
  const resolved = new URL(url, location.href)
  resolved.protocol = resolved.protocol === 'https:' ? 'wss:' : 'ws:'
  return resolved.toString()
}

/**
 * One WebSocket to the server that keeps itself connected: it reconnects with exponential
 * backoff (with jitter), re-subscribes to its rooms and sends `{type:'resume', cursors}` with
 * the last cursor seen on each stream, so the server can replay what was missed.
 */
export class RealtimeClient {
  private socket: SocketLike | null = null
  private readonly rooms = new Set<string>()
  private readonly cursors: Record<string, Cursor> = {}
  private readonly handlers = new Map<string, Set<Handler>>()
  private readonly statusListeners = new Set<(status: RealtimeStatus) => void>()
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private heartbeat: ReturnType<typeof setInterval> | undefined
  private lastHeardAt = 0
  private stopped = true
  private statusValue: RealtimeStatus = 'closed'
  private readonly opts: Required<Omit<RealtimeOptions, 'url'>> & { url: string }

  constructor(options: RealtimeOptions = {}) {
    this.opts = {
      url: options.url ?? '/ws',
      createSocket: options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike),
      minDelayMs: options.minDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      random: options.random ?? Math.random,
      heartbeatMs: options.heartbeatMs ?? 25_000,
      cursorOf: options.cursorOf ?? defaultCursorOf,
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

  /** Joins rooms now (if connected) and again after every reconnect. */
  subscribe(rooms: string[]): void {
    const added = rooms.filter((room) => !this.rooms.has(room))
    for (const room of added) this.rooms.add(room)
    if (added.length > 0) this.send({ type: 'subscribe', rooms: added })
  }

  unsubscribe(rooms: string[]): void {
    const removed = rooms.filter((room) => this.rooms.delete(room))
    if (removed.length > 0) this.send({ type: 'unsubscribe', rooms: removed })
  }

  /** Records the last cursor the app has seen on a stream (e.g. after loading it over HTTP). */
  setCursor(stream: string, cursor: Cursor): void {
    this.cursors[stream] = cursor
  }

  getCursors(): Readonly<Record<string, Cursor>> {
    return { ...this.cursors }
  }

  /** Listens to messages of one type ('*' for all). Returns the function that stops listening. */
  on(type: string, handler: Handler): () => void {
    const set = this.handlers.get(type) ?? new Set<Handler>()
    this.handlers.set(type, set)
    set.add(handler)
    return () => set.delete(handler)
  }

  onStatus(listener: (status: RealtimeStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** Sends a message if the socket is open; returns whether it was sent. */
  send(message: RealtimeMessage): boolean {
    if (this.socket?.readyState !== OPEN) return false
    this.socket.send(JSON.stringify(message))
    return true
  }

  private open(): void {
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting')
    const socket = this.opts.createSocket(resolveUrl(this.opts.url))
    this.socket = socket
    socket.onopen = () => {
      this.setStatus('open')
      this.startHeartbeat(socket)
      if (this.rooms.size > 0) this.send({ type: 'subscribe', rooms: [...this.rooms] })
      if (Object.keys(this.cursors).length > 0) this.send({ type: 'resume', cursors: { ...this.cursors } })
    }
    socket.onmessage = (ev) => this.receive(ev.data)
    socket.onerror = () => {} // a close event always follows; reconnecting happens there
    socket.onclose = () => this.dropped(socket)
  }

  private dropped(socket: SocketLike): void {
    if (this.socket !== socket) return
    this.socket = null
    clearInterval(this.heartbeat)
    if (!this.stopped) this.scheduleReconnect()
  }

  // A phone that changes network often keeps a dead socket "open" for minutes; the ping/pong
  // exchange notices it and reconnects, so missed events are resumed quickly.
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
    let message: RealtimeMessage
    try {
      const parsed: unknown = JSON.parse(String(data))
      if (
        parsed === null ||
        typeof parsed !== 'object' ||
        typeof (parsed as RealtimeMessage).type !== 'string'
      )
        return
      message = parsed as RealtimeMessage
    } catch {
      return
    }
    // A hello means the server accepted us: the next drop starts again from the shortest delay.
    if (message.type === 'hello') this.attempt = 0
    if (message.type === 'event' && message.event !== null && typeof message.event === 'object') {
      const position = this.opts.cursorOf(message.event as Record<string, unknown>)
      if (position) this.cursors[position.stream] = position.cursor
    }
    for (const handler of [...(this.handlers.get(message.type) ?? []), ...(this.handlers.get('*') ?? [])]) {
      try {
        handler(message)
      } catch (err) {
        console.error('realtime handler failed', err)
      }
    }
  }

  private scheduleReconnect(): void {
    const base = Math.min(this.opts.maxDelayMs, this.opts.minDelayMs * 2 ** this.attempt)
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
