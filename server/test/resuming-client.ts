import type { TServerMessage } from '@common/events'
import WebSocket from 'ws'

interface SyncPage {
  messages: { id: string; clientKey: string | null; conversationId: string }[]
  cursor: number
  hasMore: boolean
}

/**
 * A client that behaves as the web app does across a server crash (web/api/realtime.ts,
 * web/features/messaging/message-stream.ts): it keeps a socket open and subscribed, shows each
 * `message.created` at once, and on every (re)connect — socket open and rooms subscribed first —
 * asks GET /api/sync for everything after its cursor. The cursor moves only with sync answers.
 * When the socket drops it tries again every `retryMs` until the server answers.
 */
export class ResumingClient {
  /** clientKey → how it first arrived: `live` (a socket event) or `sync` (the resume). */
  readonly received = new Map<string, 'live' | 'sync'>()
  /** Events received on each connection (index 0 = the first connection). */
  readonly liveByConnection: number[] = []
  /** Every live `message.created` in arrival order, with the connection it came on (order checks). */
  readonly liveLog: { connection: number; key: string }[] = []
  /** Live events for a message this client had already received live (the bus delivered it twice). */
  liveRedeliveries = 0
  private cursor = 0
  private socket?: WebSocket
  private stopped = false
  private resumed?: () => void
  /** When the latest (re)connect finished its sync. */
  resumedAt = 0

  constructor(
    readonly name: string,
    private readonly base: string,
    private readonly headers: Record<string, string>,
    private readonly rooms: string[],
    private readonly retryMs = 200,
  ) {}

  get connections(): number {
    return this.liveByConnection.length
  }

  async start(): Promise<void> {
    this.cursor = (await this.sync(undefined)).cursor
    await this.connect()
  }

  /** Resolves once the client has reconnected and resynced after its latest disconnect. */
  nextResume(): Promise<void> {
    return new Promise((resolve) => {
      this.resumed = resolve
    })
  }

  stop(): void {
    this.stopped = true
    this.socket?.terminate()
  }

  private async connect(): Promise<void> {
    for (;;) {
      if (this.stopped) return
      try {
        await this.open()
        await this.resync()
        this.resumedAt = Date.now()
        this.resumed?.()
        this.resumed = undefined
        return
      } catch {
        this.socket?.terminate()
        await new Promise((r) => setTimeout(r, this.retryMs))
      }
    }
  }

  /** Opens the socket and subscribes; resolves when the server has confirmed the rooms. */
  private open(): Promise<void> {
    const ws = new WebSocket(`${this.base.replace(/^http/, 'ws')}/ws`, {
      headers: { cookie: this.headers.cookie! },
    })
    this.socket = ws
    const index = this.liveByConnection.push(0) - 1
    let settled = false
    let subscribed = false
    return new Promise<void>((resolve, reject) => {
      // A connection that never got as far as its rooms does not count as one.
      const fail = (err: Error) => {
        if (settled) return
        settled = true
        if (this.liveByConnection.length === index + 1) this.liveByConnection.pop()
        reject(err)
      }
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as TServerMessage
        if (msg.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', rooms: this.rooms }))
        else if (msg.type === 'subscribed') {
          if (msg.denied.length) return fail(new Error(`${this.name}: rooms denied ${msg.denied.join(', ')}`))
          settled = subscribed = true
          resolve()
        } else if (msg.type === 'event' && msg.event.type === 'message.created') {
          this.liveByConnection[index]!++
          const key = msg.event.message.clientKey
          if (!key) return
          this.liveLog.push({ connection: index, key })
          if (this.received.get(key) === 'live') this.liveRedeliveries++
          if (!this.received.has(key)) this.received.set(key, 'live')
        }
      })
      ws.once('error', fail)
      ws.once('close', () => {
        if (!subscribed) return fail(new Error('closed before subscribing'))
        if (!this.stopped) void this.connect()
      })
    })
  }

  private async resync(): Promise<void> {
    for (;;) {
      const page = await this.sync(this.cursor)
      for (const m of page.messages)
        if (m.clientKey && !this.received.has(m.clientKey)) this.received.set(m.clientKey, 'sync')
      this.cursor = page.cursor
      if (!page.hasMore) return
    }
  }

  private async sync(after: number | undefined): Promise<SyncPage> {
    const res = await fetch(`${this.base}/api/sync${after === undefined ? '' : `?after=${after}`}`, {
      headers: { cookie: this.headers.cookie! },
    })
    if (res.status !== 200) throw new Error(`${this.name}: sync answered ${res.status}`)
    return (await res.json()) as SyncPage
  }
}
