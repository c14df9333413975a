import { CLOSE_CODES, ZClientMessage } from '@common/events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RealtimeClient, type RealtimeOptions, type SocketLike } from './realtime'

class FakeSocket implements SocketLike {
  readyState = 0
  sent: unknown[] = []
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: { code?: number }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.readyState = 3
  }
  serverOpens() {
    this.readyState = 1
    this.onopen?.({})
  }
  serverSends(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
  serverDrops(code = 1006) {
    this.readyState = 3
    this.onclose?.({ code })
  }
}

describe('RealtimeClient', () => {
  let sockets: FakeSocket[]
  let client: RealtimeClient
  const last = () => sockets[sockets.length - 1]!
  /** A client whose sockets are fakes the test drives, with a 100 ms first delay and no jitter. */
  const fakeClient = (options: RealtimeOptions) =>
    new RealtimeClient({
      url: 'ws://test/ws',
      createSocket: (url) => {
        const socket = new FakeSocket(url)
        sockets.push(socket)
        return socket
      },
      minDelayMs: 100,
      random: () => 1,
      ...options,
    })

  beforeEach(() => {
    vi.useFakeTimers()
    sockets = []
    client = fakeClient({ maxDelayMs: 1000, heartbeatMs: 0 })
  })

  afterEach(() => {
    // Whatever a test made the client do, it only ever sent messages the server's schema accepts.
    for (const socket of sockets)
      for (const message of socket.sent) expect(ZClientMessage.safeParse(message).success).toBe(true)
    client.close()
    vi.useRealTimers()
  })

  it('subscribes to its rooms once the socket opens', () => {
    client.subscribe(['area:1'])
    client.connect()
    last().serverOpens()
    expect(last().sent).toEqual([{ type: 'subscribe', rooms: ['area:1'] }])
    client.subscribe(['user:7', 'area:1'])
    expect(last().sent.at(-1)).toEqual({ type: 'subscribe', rooms: ['user:7'] })
  })

  it('sends the cursor it is given with each subscribe, and asks for it only when a subscribe goes', () => {
    const cursors = [41, undefined, 57]
    let asked = 0
    client.catchUpOnSubscribe(() => {
      asked++
      return cursors.shift()
    })
    client.subscribe(['area:1'])
    client.connect()
    expect(asked).toBe(0) // nothing went while the socket was not open
    last().serverOpens()
    client.subscribe(['group:9'])
    last().serverDrops()
    vi.advanceTimersByTime(100)
    last().serverOpens()
    expect(asked).toBe(3)
    expect(sockets.flatMap((s) => s.sent)).toEqual([
      { type: 'subscribe', rooms: ['area:1'], after: 41 },
      { type: 'subscribe', rooms: ['group:9'] },
      { type: 'subscribe', rooms: ['area:1', 'group:9'], after: 57 },
    ])
  })

  it('hands typed events to listeners and ignores frames that are not JSON', () => {
    const bodies: string[] = []
    client.onEvent((e) => {
      if (e.type === 'message.created') bodies.push(e.message.body)
    })
    client.connect()
    last().serverOpens()
    last().serverSends({ type: 'event', event: { type: 'message.created', message: { body: 'Chào anh' } } })
    last().serverSends('not json {')
    last().serverSends({ type: 'pong' })
    expect(bodies).toEqual(['Chào anh'])
  })

  it('reconnects with growing delays and sends only what the server accepts: subscribe again, no resume', () => {
    client.subscribe(['area:1'])
    client.connect()
    last().serverOpens()
    last().serverSends({
      type: 'event',
      event: { type: 'system.ping', rooms: ['area:1'], at: '', message: 'x' },
    })
    last().serverDrops()
    expect(client.status).toBe('reconnecting')

    vi.advanceTimersByTime(99)
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(2)
    last().serverDrops()
    vi.advanceTimersByTime(199)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(3)

    last().serverOpens()
    expect(last().sent).toEqual([{ type: 'subscribe', rooms: ['area:1'] }])
    expect(client.status).toBe('open')
  })

  it('forgets rooms the server evicted it from, so a reconnect does not ask for them again', () => {
    client.subscribe(['group:9', 'area:1'])
    client.connect()
    last().serverOpens()
    last().serverSends({ type: 'evicted', rooms: ['group:9'] })
    last().serverDrops()
    vi.advanceTimersByTime(100)
    last().serverOpens()
    expect(last().sent).toEqual([{ type: 'subscribe', rooms: ['area:1'] }])
  })

  it('tells the page when the server ended the session, and not on an ordinary drop', () => {
    const ended = vi.fn()
    client.onSessionEnded(ended)
    client.connect()
    last().serverOpens()
    last().serverDrops()
    expect(ended).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    last().serverOpens()
    last().serverDrops(CLOSE_CODES.sessionEnded)
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('starts again from the shortest delay after a hello', () => {
    client.connect()
    last().serverDrops()
    vi.advanceTimersByTime(100)
    last().serverDrops()
    vi.advanceTimersByTime(200)
    last().serverOpens()
    last().serverSends({ type: 'hello' })
    last().serverDrops()
    vi.advanceTimersByTime(100)
    expect(sockets).toHaveLength(4)
  })

  it('never exceeds the maximum delay', () => {
    client.connect()
    for (let i = 0; i < 8; i++) {
      last().serverDrops()
      vi.advanceTimersByTime(1000)
    }
    expect(sockets).toHaveLength(9)
  })

  it('tries again at most a second apart while a restart may be under way, then backs off', () => {
    // The production schedule: 0.5 s doubling, at most 1 s apart for 15 s after the drop, then 5 s.
    client.close()
    client = fakeClient({ minDelayMs: 500, heartbeatMs: 0, random: () => 1 })
    client.connect()
    last().serverOpens()
    last().serverSends({ type: 'hello' })
    last().serverDrops()
    const gaps: number[] = []
    let at = 0
    for (let elapsed = 0; elapsed < 45_000; elapsed += 50) {
      const before = sockets.length
      vi.advanceTimersByTime(50)
      if (sockets.length > before) {
        gaps.push(elapsed + 50 - at)
        at = elapsed + 50
        last().serverDrops()
      }
    }
    // 0.5 s, then 1 s until the attempt that starts 15 s after the drop, then 5 s apart.
    expect(gaps.slice(0, 3)).toEqual([500, 1000, 1000])
    expect(gaps.filter((g) => g === 1000)).toHaveLength(15)
    expect(gaps.slice(16, 19)).toEqual([5000, 5000, 5000])
  })

  it('spreads the attempts of clients dropped together over the step (jitter)', () => {
    client.close()
    client = fakeClient({ minDelayMs: 500, heartbeatMs: 0, random: () => 0 })
    client.connect()
    last().serverDrops()
    vi.advanceTimersByTime(249)
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(2)
    last().serverDrops()
    vi.advanceTimersByTime(500)
    expect(sockets).toHaveLength(3)
  })

  it('leaves rooms it no longer needs, also after a reconnect', () => {
    client.subscribe(['area:1', 'user:7'])
    client.connect()
    last().serverOpens()
    client.unsubscribe(['area:1', 'group:9'])
    expect(last().sent.at(-1)).toEqual({ type: 'unsubscribe', rooms: ['area:1'] })
    last().serverDrops()
    vi.advanceTimersByTime(100)
    last().serverOpens()
    expect(last().sent).toEqual([{ type: 'subscribe', rooms: ['user:7'] }])
  })

  it('pings, and reconnects when the server has gone silent', () => {
    const beating = fakeClient({ heartbeatMs: 1000 })
    beating.connect()
    last().serverOpens()
    vi.advanceTimersByTime(1000)
    expect(last().sent).toContainEqual({ type: 'ping' })
    last().serverSends({ type: 'pong' })
    vi.advanceTimersByTime(2000)
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(1000) // 3 s without a word
    expect(beating.status).toBe('reconnecting')
    vi.advanceTimersByTime(100)
    expect(sockets).toHaveLength(2)
    beating.close()
  })

  it('stops reconnecting once closed', () => {
    client.connect()
    last().serverOpens()
    client.close()
    last().serverDrops()
    vi.advanceTimersByTime(10_000)
    expect(sockets).toHaveLength(1)
    expect(client.status).toBe('closed')
  })
})
