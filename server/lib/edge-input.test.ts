import { connect } from 'node:net'
import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../test/auth-helpers'
import { buildResident } from '../test/factories'
import { createTestApp, type TestContext } from '../test/test-app'
import { loggerOptions } from './logger'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const isProblem = (res: { headers: Record<string, unknown> }) =>
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/)

describe('text at the edge (F10)', () => {
  it('refuses a NUL byte in a body field with a 400 naming the field, and changes nothing', async () => {
    const resident = await buildResident(t.db, { displayName: 'Hoa' })
    const session = await signInAs(t.app, resident)
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: session.headers,
      payload: { displayName: 'Hoa\u0000' },
    })
    expect(res.statusCode).toBe(400)
    isProblem(res)
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'displayName', code: 'unsafe_text' }),
    ])
    const me = await t.app.inject({ url: '/api/me', headers: session.headers })
    expect(me.json().displayName).toBe('Hoa')
  })

  it('refuses a lone surrogate in JSON and a NUL in a query value, in the caller’s language', async () => {
    const lone = await t.app.inject({
      method: 'POST',
      url: '/api/auth/otp/request',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: '{"phone":"\\ud800"}',
    })
    expect(lone.statusCode).toBe(400)
    expect(lone.json().errors[0]).toMatchObject({ field: 'phone', code: 'unsafe_text' })
    expect(lone.json().errors[0].message).toMatch(/not allowed/)
    const nul = await t.app.inject('/api/directory/search?q=a%00b')
    expect(nul.statusCode).toBe(400)
    isProblem(nul)
    expect(nul.json().errors[0]).toMatchObject({ field: 'q', code: 'unsafe_text' })
  })

  it('refuses a query value that is not valid percent-encoding (a lone surrogate as %ED%A0%80)', async () => {
    for (const raw of ['%ED%A0%80x', '%E0%A4%A']) {
      const res = await t.app.inject(`/api/procedures/search?q=${raw}`)
      expect(res.statusCode, raw).toBe(400)
      isProblem(res)
      expect(res.json().errors[0]).toMatchObject({ field: 'q', code: 'bad_encoding' })
    }
    const fine = await t.app.inject('/api/procedures/search?q=c%C4%83n+c%C6%B0%E1%BB%9Bc')
    expect(fine.statusCode).toBe(200)
  })

  it('refuses a 10,000-deep JSON document without a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/otp/request',
      headers: { 'content-type': 'application/json' },
      payload: `{"phone":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors[0]).toMatchObject({ code: 'too_deep' })
  })
})

describe('framework errors are problem+json', () => {
  it('answers bad percent-encoding with 400 and a 10 kB path segment with 414', async () => {
    const bad = await t.app.inject('/api/procedures/%E0%A4%A')
    expect(bad.statusCode).toBe(400)
    isProblem(bad)
    expect(bad.json()).toMatchObject({ type: '/problems/bad-request', status: 400 })
    const long = await t.app.inject({
      url: `/api/procedures/${'a'.repeat(10_000)}`,
      headers: { 'accept-language': 'en' },
    })
    expect(long.statusCode).toBe(414)
    isProblem(long)
    expect(long.json()).toMatchObject({ type: '/problems/uri-too-long', title: 'The address is too long' })
  })

  it('answers an unsupported media type with 415 and a body over 1 MB with 413', async () => {
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/auth/otp/request',
      headers: { 'content-type': 'application/xml' },
      payload: '<phone>1</phone>',
    })
    expect(text.statusCode).toBe(415)
    isProblem(text)
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/auth/otp/request',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ phone: 'x'.repeat(2 * 1024 * 1024) }),
    })
    expect(big.statusCode).toBe(413)
    isProblem(big)
  })

  it('answers headers Node refuses (over 16 kB) with 431 problem+json on the socket', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = new URL(address)
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
      })
      let data = ''
      socket.on('data', (chunk) => {
        data += chunk
      })
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
    })
    expect(raw).toMatch(/^HTTP\/1\.1 431/)
    expect(raw).toMatch(/content-type: application\/problem\+json/i)
    expect(raw).toContain('"status":431')
  })
})

describe('database errors in the log (F10)', () => {
  it('logs a failed query without its parameters', async () => {
    let failure: unknown
    try {
      await t.db.execute(sql`select ${'+84987000001 Nguyễn Thị Lan'}::uuid`)
    } catch (err) {
      failure = err
    }
    expect(failure).toBeDefined()
    const lines: string[] = []
    const options = loggerOptions({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }) as pino.LoggerOptions
    const log = pino(options, { write: (line: string) => lines.push(line) })
    log.error({ err: failure }, 'unexpected error')
    log.error({ err: new Error('wrapper', { cause: failure }) }, 'wrapped')
    const text = lines.join('\n')
    expect(text).not.toContain('+84987000001')
    expect(text).not.toContain('Nguyễn')
    expect(JSON.parse(lines[0] ?? '{}').err).toMatchObject({
      type: 'DrizzleQueryError',
      cause: { sqlState: '22P02' },
    })
  })
})
