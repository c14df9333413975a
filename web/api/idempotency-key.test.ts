import { afterEach, describe, expect, it, vi } from 'vitest'
import { apiFetch, idempotencyKeyOf } from './client'

/** A fetch stub answering each call with the next response in turn (an Error is a network failure). */
function stubFetch(...responses: Array<Response | Error>) {
  const fn = vi.fn(async (_url: string, _init?: RequestInit) => {
    const next = responses.shift()
    if (!next || next instanceof Error) throw next ?? new Error('no more responses')
    return next
  })
  vi.stubGlobal('fetch', fn)
  return fn
}

const created = (id: string) =>
  new Response(JSON.stringify({ id }), { status: 201, headers: { 'content-type': 'application/json' } })
const problem = (status: number) =>
  new Response(JSON.stringify({ title: 'x' }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  })

const keyOf = (fetch: ReturnType<typeof stubFetch>, call: number) =>
  ((fetch.mock.calls[call]![1]?.headers ?? {}) as Record<string, string>)['idempotency-key']

const submit = (body: unknown) => apiFetch('/api/tips', { method: 'POST', body }).catch((e: unknown) => e)

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('Idempotency-Key on POSTs', () => {
  it('reuses the key when the same submit is sent again after a network error or a 5xx, and a new one after it succeeded', async () => {
    const fetch = stubFetch(new TypeError('Failed to fetch'), problem(503), created('t1'), created('t2'))
    const body = { text: 'Xe lạ đỗ trước nhà số 12' }
    await submit(body) // offline
    await submit(body) // server restarting
    await submit(body) // arrives: the server answers with the first record
    await submit(body) // a second tip with the same words is a new submit
    const keys = [0, 1, 2, 3].map((i) => keyOf(fetch, i))
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,100}$/)
    expect(keys[1]).toBe(keys[0])
    expect(keys[2]).toBe(keys[0])
    expect(keys[3]).toMatch(/^[A-Za-z0-9_-]{8,100}$/)
    expect(keys[3]).not.toBe(keys[0])
  })

  it('gives a double tap (both on their way at once) one key', async () => {
    const fetch = stubFetch(created('t1'), problem(409))
    const body = { text: 'Cháy nhỏ ở chợ' }
    await Promise.all([submit(body), submit(body)])
    expect(keyOf(fetch, 1)).toBe(keyOf(fetch, 0))
  })

  it('gives two different submits different keys, and a refused one (4xx) a new key next time', async () => {
    const fetch = stubFetch(problem(422), created('t1'), created('t2'))
    await submit({ text: '' }) // refused: the user corrects the form
    await submit({ text: '' }) // a new submit, not a retry of a refused one
    await submit({ text: 'Mất xe máy' })
    const keys = [0, 1, 2].map((i) => keyOf(fetch, i))
    expect(new Set(keys).size).toBe(3)
  })

  it('sends the key a caller gives (an outbox client key), on every resend', async () => {
    const fetch = stubFetch(new TypeError('Failed to fetch'), created('m1'))
    const clientKey = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f'
    for (let i = 0; i < 2; i++)
      await apiFetch('/api/ask/messages', {
        method: 'POST',
        body: { text: 'Chào anh/chị', clientKey },
        idempotencyKey: idempotencyKeyOf(clientKey),
      }).catch(() => undefined)
    expect([keyOf(fetch, 0), keyOf(fetch, 1)]).toEqual([clientKey, clientKey])
    expect(idempotencyKeyOf('bad key!')).toBeUndefined()
  })

  it('sends no key on a GET, a PATCH or a multipart upload', async () => {
    const fetch = stubFetch(created('a'), created('b'), created('c'))
    await apiFetch('/api/tips')
    await apiFetch('/api/tips/t1', { method: 'PATCH', body: { status: 'closed' } })
    await apiFetch('/api/tips/t1/evidence', { method: 'POST', body: new FormData() })
    expect([0, 1, 2].map((i) => keyOf(fetch, i))).toEqual([undefined, undefined, undefined])
  })
})
