// One resident's browser for bench:reconnect, doing what the web client does
// (web/api/realtime.ts and web/features/messaging/message-stream.ts): reconnect with exponential
// backoff and jitter (0.5 s doubling, at most 1 s for the first 15 s after the drop, then at most
// 5 s; between half and all of the step), subscribe to its rooms
// again on every open, and catch up by cursor once the server has granted the rooms (in the
// `subscribed` answer when the subscribe gave the cursor, else GET /api/sync?after=); a catch-up
// that failed or went unanswered for 15 s is tried again (1 s doubling to 5 s with jitter).
// Messages are merged by id.
import WebSocket from 'ws'

// The same schedule as web/api/realtime.ts (its defaults): the bench must model the real client.
const MIN_DELAY_MS = 500
const MAX_DELAY_MS = 5_000
const QUICK_WINDOW_MS = 15_000
const QUICK_MAX_DELAY_MS = 1_000
/** As message-stream.ts: a catch-up request unanswered this long is given up and retried. */
const SYNC_TIMEOUT_MS = 15_000
const OPEN = 1

export class ReconnectingClient {
  /** @param {{ baseUrl: string, token: string, rooms: string[], now: () => number }} opts */
  constructor(opts) {
    this.opts = opts
    this.wsUrl = `${opts.baseUrl.replace(/^http/, 'ws')}/ws`
    this.cookie = `nhipcau_session=${opts.token}`
    this.socket = null
    this.attempt = 0
    this.droppedAt = 0
    this.cursor = null
    this.catchingUp = null
    this.askedAgain = false
    /** message id → when this client first had it (socket event or sync page). */
    this.messages = new Map()
    this.subscribedAt = 0
    /** When the first catch-up asked after the last `subscribed` answer finished (0: not yet). */
    this.resumedAt = 0
    this.awaitingResume = false
    /** Ids this socket connection delivered, and ids the catch-ups by cursor returned: each once. */
    this.onSocket = new Set()
    this.bySync = new Set()
    /** The same message twice from the same source (one socket, or the cursor): a server bug. */
    this.duplicates = 0
    this.openedAt = 0
    this.connects = 0
    /** Sockets opened or tried (a refused connect counts: the retries of a restart). */
    this.attempts = 0
    this.syncRequests = 0
    /** Catch-ups that came in a `subscribed` answer (no request of their own). */
    this.syncAnswers = 0
    this.settleSubscribeCatchUp = null
    /** Failed catch-up requests, by reason (HTTP status or error code). */
    this.syncFailures = new Map()
    this.retryDelayMs = 1000
    this.stopped = false
  }

  /** The cursor first, as the page's first catch-up does; then the socket. */
  async start() {
    await this.catchUp()
    this.open()
  }

  stop() {
    this.stopped = true
    clearTimeout(this.timer)
    clearTimeout(this.retryTimer)
    this.socket?.terminate()
  }

  open() {
    this.attempts++
    const socket = new WebSocket(this.wsUrl, { headers: { cookie: this.cookie }, perMessageDeflate: false })
    this.socket = socket
    socket.on('open', () => {
      this.connects++
      this.openedAt = this.opts.now()
      this.onSocket = new Set()
      // As message-stream.ts: a socket that joins rooms catches up on the `subscribed` answer alone,
      // which carries the catch-up when the subscribe gave the cursor.
      const after = this.catchUpOnSubscribe()
      socket.send(JSON.stringify({ type: 'subscribe', rooms: this.opts.rooms, after }))
    })
    socket.on('message', (raw) => this.receive(raw))
    socket.on('error', () => {}) // a close always follows
    socket.on('close', () => {
      if (this.socket !== socket) return
      this.socket = null
      // Dropped before the answer: the next open's subscribe asks again (or the catch-up, if asked).
      if (this.settleSubscribeCatchUp) {
        this.settleSubscribeCatchUp()
        if (this.askedAgain) void this.catchUp()
      }
      if (!this.stopped) this.scheduleReconnect()
    })
  }

  receive(raw) {
    const msg = JSON.parse(raw.toString())
    if (msg.type === 'hello') this.attempt = 0
    else if (msg.type === 'subscribed') {
      if (msg.denied.length) throw new Error(`rooms denied: ${msg.denied}`)
      this.subscribedAt = this.opts.now()
      const settle = this.settleSubscribeCatchUp
      settle?.()
      if (settle && msg.sync) {
        this.takePage(msg.sync)
        this.syncAnswers++
        this.retryDelayMs = 1000
        const more = this.askedAgain || msg.sync.hasMore
        this.askedAgain = false
        if (msg.sync.hasMore) this.awaitingResume = true
        else this.resumedAt = this.opts.now()
        if (more) void this.catchUp()
        return
      }
      this.awaitingResume = true
      void this.catchUp()
    } else if (msg.type === 'event' && msg.event.type === 'message.created') {
      const id = msg.event.message.id
      if (this.onSocket.has(id)) this.duplicates++
      this.onSocket.add(id)
      this.add(id)
    }
  }

  add(id) {
    if (!this.messages.has(id)) this.messages.set(id, this.opts.now())
  }

  scheduleReconnect() {
    const now = Date.now()
    if (this.attempt === 0) this.droppedAt = now
    const cap = now - this.droppedAt < QUICK_WINDOW_MS ? QUICK_MAX_DELAY_MS : MAX_DELAY_MS
    const base = Math.min(cap, MIN_DELAY_MS * 2 ** this.attempt)
    const delay = base / 2 + (Math.random() * base) / 2
    this.attempt += 1
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.open(), delay)
  }

  /**
   * As message-stream.ts: while no catch-up is on its way, the cursor goes with the subscribe and
   * its answer is the catch-up on its way, settled by that answer, the socket closing, or the timeout.
   */
  catchUpOnSubscribe() {
    if (this.catchingUp || this.cursor === null) return undefined
    this.catchingUp = new Promise((resolve) => {
      const timer = setTimeout(() => {
        settle()
        void this.catchUp()
      }, SYNC_TIMEOUT_MS)
      const settle = () => {
        clearTimeout(timer)
        this.settleSubscribeCatchUp = null
        this.catchingUp = null
        resolve()
      }
      this.settleSubscribeCatchUp = settle
    })
    return this.cursor
  }

  /** A catch-up page (GET /api/sync's or a `subscribed` answer's): merged, the cursor moved. */
  takePage(res) {
    for (const m of res.messages) {
      if (this.bySync.has(m.id)) this.duplicates++
      this.bySync.add(m.id)
      this.add(m.id)
    }
    this.cursor = res.cursor
  }

  /** As message-stream.ts: one catch-up at a time; asked again meanwhile, it runs once more. */
  catchUp() {
    if (this.catchingUp) {
      this.askedAgain = true
      return this.catchingUp
    }
    this.catchingUp = (async () => {
      do {
        this.askedAgain = false
        // Whether this pass is the resume: the first catch-up begun after the rooms were granted.
        const resuming = this.awaitingResume
        this.awaitingResume = false
        try {
          if (this.cursor === null) {
            this.cursor = (await this.sync()).cursor
            // Only a first cursor: a resume asked meanwhile still needs its own pass.
            this.awaitingResume ||= resuming
            this.askedAgain ||= resuming
            continue
          }
          for (let page = 0; page < 20; page++) {
            const res = await this.sync(this.cursor)
            this.takePage(res)
            if (!res.hasMore) break
          }
          this.retryDelayMs = 1000
          if (resuming) this.resumedAt = this.opts.now()
        } catch (err) {
          this.askedAgain = false
          this.awaitingResume ||= resuming
          const reason = err.status ?? err.cause?.code ?? err.message
          this.syncFailures.set(reason, (this.syncFailures.get(reason) ?? 0) + 1)
          this.retryLater()
        }
      } while (this.askedAgain)
      this.catchingUp = null
    })()
    return this.catchingUp
  }

  retryLater() {
    if (this.retryTimer || this.stopped) return
    const delay = this.retryDelayMs / 2 + (Math.random() * this.retryDelayMs) / 2
    this.retryDelayMs = Math.min(MAX_DELAY_MS, this.retryDelayMs * 2)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      void this.catchUp()
    }, delay)
  }

  async sync(after) {
    this.syncRequests++
    const url = `${this.opts.baseUrl}/api/sync${after === undefined ? '' : `?after=${after}`}`
    const res = await fetch(url, {
      headers: { cookie: this.cookie },
      signal: AbortSignal.timeout(SYNC_TIMEOUT_MS),
    })
    if (!res.ok) throw Object.assign(new Error(`sync answered ${res.status}`), { status: res.status })
    return res.json()
  }

  get isOpen() {
    return this.socket?.readyState === OPEN
  }
}
