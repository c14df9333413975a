import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from './db/query'
import { createTestApp, type TestContext } from './test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ TRUST_PROXY: '1' })
})
afterAll(() => t.close())

const failureIp = async (subject: string) =>
  (
    await queryRows<{ ip: string | null }>(t.db, sql`select ip from auth_failures where subject = ${subject}`)
  )[0]?.ip

describe('F5: behind one proxy (TRUST_PROXY=1)', () => {
  it('takes the address the proxy appended, not the one the client wrote', async () => {
    const username = `trust-proxy-${process.pid}`
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/staff/sign-in',
      payload: { username, password: 'wrong' },
      remoteAddress: '10.0.0.2',
      // The client forged the first entry; the proxy appended the address it saw.
      headers: { 'x-forwarded-for': '203.0.113.7, 198.51.100.23' },
    })
    expect(res.statusCode).toBe(401)
    expect(await failureIp(username)).toBe('198.51.100.23')
  })
})
