import type { TMessageView } from '@common/schemas/messaging'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../api/client'
import { onMessages, resync, SYNC_TIMEOUT_MS } from './message-stream'

/** The page's socket and GET /api/sync, as the stream sees them. */
const world = vi.hoisted(() => ({
  handlers: new Map<string, (m: unknown) => void>(),
  statusListeners: [] as ((status: string) => void)[],
  joinsRooms: false,
  sync: (
    _after?: number,
    _signal?: AbortSignal,
  ): Promise<{ messages: unknown[]; cursor: number; hasMore: boolean }> =>
    Promise.resolve({ messages: [], cursor: 10, hasMore: false }),
  asked: [] as (number | undefined)[],
  /** What the socket asks as a subscribe goes (`catchUpOnSubscribe`). */
  cursorForSubscribe: (): number | undefined => undefined,
}))
vi.mock('../../api/realtime', () => ({
  realtime: () => ({
    status: 'connecting',
    onEvent: () => () => {},
    onStatus: (listener: (status: string) => void) => {
      world.statusListeners.push(listener)
      return () => {}
    },
    get joinsRooms() {
      return world.joinsRooms
    },
    catchUpOnSubscribe: (cursor: () => number | undefined) => {
      world.cursorForSubscribe = cursor
    },
    on: (type: string, handler: (m: unknown) => void) => {
      world.handlers.set(type, handler)
      return () => world.handlers.delete(type)
    },
  }),
}))
vi.mock('./messaging-api', () => ({
  messagingApi: {
    sync: (after?: number, signal?: AbortSignal) => {
      world.asked.push(after)
      return world.sync(after, signal)
    },
  },
}))

const message = (id: string, seq: number) => ({ id, seq, conversationId: 'c1' }) as unknown as TMessageView
const settle = () => new Promise((r) => setTimeout(r, 0))

it('asks again when a catch-up is asked for while one is on its way, so a message sent meanwhile arrives', async () => {
  const received: string[] = []
  onMessages((list) => received.push(...list.map((m) => m.id)))
  await settle() // the first catch-up only learns the cursor (10)

  let answerFirst: (v: { messages: unknown[]; cursor: number; hasMore: boolean }) => void = () => {}
  world.sync = () => new Promise((r) => (answerFirst = r))
  const first = resync()
  // A message is sent now, and something asks for it (a room granted, the tab shown again)…
  const second = resync()
  world.sync = () => Promise.resolve({ messages: [message('m11', 11)], cursor: 11, hasMore: false })
  // …but the request on its way was answered from before it.
  answerFirst({ messages: [], cursor: 10, hasMore: false })
  await Promise.all([first, second])
  expect(received).toEqual(['m11'])
  expect(world.asked).toEqual([undefined, 10, 10])
})

it('catches up when the server grants a room, as its events reach the socket only from then', async () => {
  world.asked.length = 0
  world.sync = () => Promise.resolve({ messages: [], cursor: 11, hasMore: false })
  world.handlers.get('subscribed')?.({ type: 'subscribed', rooms: ['group:g1'], denied: [] })
  await settle()
  expect(world.asked).toEqual([11])
})

it('after a reconnect, catches up once: on the open when it joins no room, else on the rooms granted', async () => {
  world.sync = () => Promise.resolve({ messages: [], cursor: 12, hasMore: false })
  const reopen = async () => {
    for (const l of world.statusListeners) l('open')
    await settle()
  }
  world.joinsRooms = false
  world.asked.length = 0
  await reopen()
  expect(world.asked).toEqual([11])

  world.joinsRooms = true
  world.asked.length = 0
  await reopen()
  expect(world.asked).toEqual([]) // the subscribe sent on open is answered next
  world.handlers.get('subscribed')?.({ type: 'subscribed', rooms: ['group:g1'], denied: [] })
  await settle()
  expect(world.asked).toEqual([12])
})

it('tries a failed catch-up again while the socket stays open, so what was published meanwhile arrives', async () => {
  vi.useFakeTimers()
  try {
    const received: string[] = []
    onMessages((list) => received.push(...list.map((m) => m.id)))
    world.asked.length = 0
    // The server, busy with a reconnect storm, answers the catch-up of the rooms granted with a 503…
    world.sync = () => Promise.reject(new ApiError({ status: 503, title: 'Service Unavailable' }))
    world.handlers.get('subscribed')?.({ type: 'subscribed', rooms: ['group:g1'], denied: [] })
    await vi.advanceTimersByTimeAsync(0)
    expect(world.asked).toEqual([12])
    // …and nothing else will ask: the socket is open. The stream asks again by itself.
    world.sync = () => Promise.resolve({ messages: [message('m13', 13)], cursor: 13, hasMore: false })
    await vi.advanceTimersByTimeAsync(1000)
    expect(world.asked).toEqual([12, 12])
    expect(received).toContain('m13')
    // A refusal (signed out) is not retried.
    world.sync = () => Promise.reject(new ApiError({ status: 401, title: 'Unauthorized' }))
    await resync()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(world.asked).toEqual([12, 12, 13])
  } finally {
    vi.useRealTimers()
  }
})

it('gives up a catch-up that never answers and asks again, so later catch-ups are not held behind it', async () => {
  vi.useFakeTimers()
  try {
    const received: string[] = []
    onMessages((list) => received.push(...list.map((m) => m.id)))
    world.asked.length = 0
    // The request went out on a connection that died with the server: no answer, no error, ever,
    // unless the caller gives up on it (as fetch does when its signal aborts).
    world.sync = (_after, signal) =>
      new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))
    void resync()
    await vi.advanceTimersByTimeAsync(0)
    expect(world.asked).toEqual([13])
    // The room granted meanwhile waits for the catch-up on its way…
    world.handlers.get('subscribed')?.({ type: 'subscribed', rooms: ['group:g1'], denied: [] })
    await vi.advanceTimersByTimeAsync(SYNC_TIMEOUT_MS - 1)
    expect(world.asked).toEqual([13])
    // …which is given up at the timeout and asked again, and what was published arrives.
    world.sync = () => Promise.resolve({ messages: [message('m14', 14)], cursor: 14, hasMore: false })
    await vi.advanceTimersByTimeAsync(1 + 1000)
    expect(world.asked).toEqual([13, 13])
    expect(received).toContain('m14')
  } finally {
    vi.useRealTimers()
  }
})

describe('the catch-up a subscribe’s answer carries', () => {
  const subscribed = (sync?: { messages: unknown[]; cursor: number; hasMore: boolean } | null) =>
    world.handlers.get('subscribed')?.({ type: 'subscribed', rooms: ['group:g1'], denied: [], sync })
  const reopen = () => {
    for (const l of world.statusListeners) l('open')
  }

  it('gives the cursor with the subscribe and takes the catch-up from its answer: no request of its own', async () => {
    const received: string[] = []
    onMessages((list) => received.push(...list.map((m) => m.id)))
    await settle()
    world.asked.length = 0
    world.joinsRooms = true
    reopen()
    expect(world.cursorForSubscribe()).toBe(14)
    subscribed({ messages: [message('m15', 15), message('m16', 16)], cursor: 16, hasMore: false })
    await settle()
    expect(received).toEqual(['m15', 'm16'])
    expect(world.asked).toEqual([])
    // The next subscribe goes from the answer's cursor.
    expect(world.cursorForSubscribe()).toBe(16)
    subscribed({ messages: [], cursor: 16, hasMore: false })
  })

  it('runs a catch-up asked for meanwhile after the answer, from its cursor; and the rest of a long one', async () => {
    world.asked.length = 0
    world.sync = () => Promise.resolve({ messages: [message('m18', 18)], cursor: 18, hasMore: false })
    expect(world.cursorForSubscribe()).toBe(16)
    void resync() // the tab shown again while the answer is on its way
    expect(world.cursorForSubscribe()).toBeUndefined() // one catch-up at a time
    await settle()
    expect(world.asked).toEqual([])
    subscribed({ messages: [message('m17', 17)], cursor: 17, hasMore: false })
    await settle()
    expect(world.asked).toEqual([17])

    expect(world.cursorForSubscribe()).toBe(18)
    world.sync = () => Promise.resolve({ messages: [], cursor: 600, hasMore: false })
    subscribed({ messages: [message('m19', 19)], cursor: 100, hasMore: true })
    await settle()
    expect(world.asked).toEqual([17, 100])
  })

  it('asks over HTTP when the answer has no catch-up, and leaves a dropped socket’s to the next subscribe', async () => {
    vi.useFakeTimers()
    try {
      world.asked.length = 0
      expect(world.cursorForSubscribe()).toBe(600)
      subscribed(null) // the server could not read it
      await vi.advanceTimersByTimeAsync(0)
      expect(world.asked).toEqual([600])

      expect(world.cursorForSubscribe()).toBe(600)
      for (const l of world.statusListeners) l('reconnecting')
      await vi.advanceTimersByTimeAsync(SYNC_TIMEOUT_MS * 2)
      expect(world.asked).toEqual([600]) // nothing asked while the socket is away
      expect(world.cursorForSubscribe()).toBe(600) // the next open's subscribe asks again

      // An answer that never comes is given up at the timeout, and the cursor asked over HTTP.
      await vi.advanceTimersByTimeAsync(SYNC_TIMEOUT_MS)
      expect(world.asked).toEqual([600, 600])
    } finally {
      vi.useRealTimers()
    }
  })
})
