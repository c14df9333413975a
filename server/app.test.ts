import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from './test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

describe('the app shell', () => {
  it('is alive and ready once migrations are applied', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' })
    const ready = await t.app.inject('/readyz')
    expect(ready.statusCode).toBe(200)
    expect(ready.json().migrations.current).toBe(true)
  })

  it('answers an unknown route with a problem document in the caller’s language', async () => {
    const vi = await t.app.inject('/api/khong-co')
    expect(vi.statusCode).toBe(404)
    expect(vi.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(vi.json()).toMatchObject({ type: '/problems/not-found', status: 404, title: 'Không tìm thấy' })
    const en = await t.app.inject({ url: '/api/khong-co', headers: { 'accept-language': 'en-US,en;q=0.9' } })
    expect(en.json().title).toBe('Not found')
  })

  it('publishes an OpenAPI 3.1 document and the browsable docs', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toContain('/readyz')
    const docs = await t.app.inject('/api/docs/')
    expect(docs.statusCode).toBe(200)
  })

  it('sends security headers', async () => {
    const res = await t.app.inject('/healthz')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    const csp = new Map(
      String(res.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...sources]) => [name, sources.join(' ')]),
    )
    expect(csp.get('default-src')).toBe("'self'")
    // F20: no other host for connections, images or fonts (no `ws:`/`wss:`/`https:` wildcards).
    expect(csp.get('connect-src')).toBe("'self'")
    expect(csp.get('img-src')).toBe("'self' data: blob:")
    expect(csp.get('font-src')).toBe("'self' data:")
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})
