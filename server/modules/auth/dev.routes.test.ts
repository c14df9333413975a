import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakePhone } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const lastOtp = (phone: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({ url: `/api/dev/last-otp?phone=${encodeURIComponent(phone)}`, remoteAddress, headers })

describe('F11: the development code reader answers only this machine', () => {
  it('gives the code to a loopback caller and a 404 to any other address or a relayed request', async () => {
    const phone = fakePhone()
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/otp/request',
      payload: { phone },
      remoteAddress: '10.5.0.1',
    })
    expect((await lastOtp(phone, '127.0.0.1')).json().code).toMatch(/^\d{6}$/)
    expect((await lastOtp(phone, '::1')).statusCode).toBe(200)
    for (const ip of ['127.0.0.9', '10.0.0.7', '192.168.1.5']) {
      const res = await lastOtp(phone, ip)
      expect(res.statusCode).toBe(404)
      expect(res.body).not.toMatch(/\d{6}/)
    }
    // A proxy on this machine relaying someone else's request.
    expect((await lastOtp(phone, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' })).statusCode).toBe(404)
  })
})
