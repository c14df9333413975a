import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

/** A localStorage that outlives module reloads, as the browser's does across page loads. */
const store = new Map<string, string>()
const storage = {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
  removeItem: (k: string) => void store.delete(k),
}

const sentOk = (clientKey: string) =>
  new Response(
    JSON.stringify({
      conversationId: '00000000-0000-4000-8000-000000000001',
      message: { id: 'm1', clientKey },
    }),
    { status: 201, headers: { 'content-type': 'application/json' } },
  )

async function freshQueue() {
  vi.resetModules()
  return (await import('./send-queue')).sendQueue()
}

beforeEach(() => {
  store.clear()
  vi.stubGlobal('localStorage', storage)
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('the outbox', () => {
  it('keeps a message while offline and retries it with the same client key until the server answers', async () => {
    const keys: string[] = []
    let calls = 0
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        keys.push(JSON.parse(String(init.body)).clientKey)
        if (++calls < 3) throw new TypeError('Failed to fetch')
        return sentOk(keys.at(-1)!)
      }),
    )
    const queue = await freshQueue()
    const item = queue.enqueue('ask', { body: 'Cho em hỏi' })
    await vi.advanceTimersByTimeAsync(0)
    expect(queue.list('ask')).toMatchObject([{ clientKey: item.clientKey, state: 'waiting' }])
    await vi.advanceTimersByTimeAsync(1000)
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls).toBe(3)
    expect(new Set(keys)).toEqual(new Set([item.clientKey]))
    expect(queue.list()).toEqual([])
  })

  it('sends what a previous page load left waiting, with its original key', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('offline'))),
    )
    const first = await freshQueue()
    const item = first.enqueue('conv-1', { body: 'Viết lúc mất mạng' })
    await vi.advanceTimersByTimeAsync(0)
    expect(JSON.parse(store.get('nhipcau.outbox.v1')!)).toHaveLength(1)

    const bodies: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const body = JSON.parse(String(init.body))
        bodies.push(body.clientKey)
        return sentOk(body.clientKey)
      }),
    )
    const reloaded = await freshQueue()
    await vi.advanceTimersByTimeAsync(0)
    expect(bodies).toEqual([item.clientKey])
    expect(reloaded.list()).toEqual([])
  })

  it('stops retrying a message the server refuses, and says why', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ title: 'Dữ liệu gửi lên chưa hợp lệ', detail: 'Quá dài' }), {
            status: 400,
            headers: { 'content-type': 'application/problem+json' },
          }),
      ),
    )
    const queue = await freshQueue()
    queue.enqueue('ask', { body: 'x' })
    await vi.advanceTimersByTimeAsync(5000)
    expect(queue.list()).toMatchObject([{ state: 'failed', error: 'Quá dài' }])
    expect(vi.mocked(fetch)).toHaveBeenCalledTimes(1)
  })
})
