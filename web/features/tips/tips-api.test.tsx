import { afterEach, describe, expect, it, vi } from 'vitest'
import { addInfoByCode, lookupTipByCode } from './tips-api'

// F13: a follow-up on an anonymous tip never carries the browser's session.
afterEach(() => vi.unstubAllGlobals())

function stubFetch() {
  const calls: { url: string; init: RequestInit }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return new Response(JSON.stringify({ id: 'x' }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      })
    }),
  )
  return calls
}

describe('F13: follow-ups by tip code go without cookies', () => {
  it('looks a tip up and adds information with credentials omitted and no CSRF header', async () => {
    const calls = stubFetch()
    await lookupTipByCode('VYRU-36BW-ABCD')
    const form = new FormData()
    form.set('code', 'VYRU-36BW-ABCD')
    await addInfoByCode(form)
    expect(calls.map((c) => c.url)).toEqual(['/api/tips/code/lookup', '/api/tips/code/messages'])
    for (const { init } of calls) {
      expect(init.credentials).toBe('omit')
      expect(Object.keys((init.headers ?? {}) as Record<string, string>)).not.toContain('x-csrf-token')
    }
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ code: 'VYRU-36BW-ABCD' })
  })
})
