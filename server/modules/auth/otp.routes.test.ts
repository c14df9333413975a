import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookiesFrom } from '../../test/auth-helpers'
import { buildArea, buildResident, fakePhone } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { OTP_LIMITS } from './otp.service'
import { isIpLimitExempt } from './rate-limits'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

let ipSeq = 0
/** Each test calls from its own address so per-IP limits of one test never touch another. */
const newIp = () => `10.1.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`

const requestCode = (phone: string, remoteAddress: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone }, remoteAddress })
const verify = (phone: string, code: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/otp/verify',
    payload: { phone, code },
    remoteAddress,
    headers,
  })
const lastCode = async (phone: string) =>
  (await t.app.inject({ url: `/api/dev/last-otp?phone=${encodeURIComponent(phone)}` })).json().code as string
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

describe('resident sign-in with a one-time code', () => {
  it('creates the account on first sign-in from a number typed any usual way, and signs in with a session cookie', async () => {
    const ip = newIp()
    const e164 = fakePhone()
    const typed = `0${e164.slice(3, 6)} ${e164.slice(6, 9)}.${e164.slice(9)}`
    const req = await requestCode(typed, ip)
    expect(req.statusCode).toBe(202)
    expect(req.json()).toEqual({ phone: e164, expiresInSeconds: 300, codesLeft: 2 })
    const code = await lastCode(e164)
    expect(code).toMatch(/^\d{6}$/)

    const res = await verify(`84${e164.slice(3)}`, code, ip)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      isNewAccount: true,
      user: { kind: 'resident', roles: ['resident'], areaId: null },
    })
    const session = res.cookies.find((c) => c.name === 'nhipcau_session')
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(res.cookies.find((c) => c.name === 'nhipcau_csrf')?.httpOnly).toBeFalsy()

    const me = await t.app.inject({ url: '/api/auth/session', headers: { cookie: cookiesFrom(res) } })
    expect(me.json().user.id).toBe(res.json().user.id)

    // The same code never works twice.
    expect((await verify(e164, code, ip)).statusCode).toBe(400)
  })

  it('signs an existing resident into their own account', async () => {
    const area = await buildArea(t.db)
    const resident = await buildResident(t.db, { area })
    const ip = newIp()
    await requestCode(resident.phone!, ip)
    const res = await verify(resident.phone!, await lastCode(resident.phone!), ip)
    expect(res.json()).toMatchObject({ isNewAccount: false, user: { id: resident.id, areaId: area.id } })
  })

  it('names the phone field when the number is not a Vietnamese mobile', async () => {
    const res = await requestCode('024 3978 1234', newIp())
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([
      { field: 'phone', code: 'custom', message: expect.stringContaining('Số điện thoại chưa đúng') },
    ])
  })

  it('locks a code after 5 wrong guesses, even when the 5th would have been right', async () => {
    const phone = fakePhone()
    const ip = newIp()
    await requestCode(phone, ip)
    const code = await lastCode(phone)
    for (let i = 0; i < 5; i++) {
      const res = await verify(phone, wrong(code), ip)
      expect(res.statusCode).toBe(400)
      expect(res.json().attemptsLeft).toBe(4 - i)
    }
    const locked = await verify(phone, code, ip)
    expect(locked.statusCode).toBe(429)
    expect(locked.json().type).toBe('/problems/rate-limited')
  })

  it('sends at most 3 codes per number in 15 minutes, whatever the IP', async () => {
    const phone = fakePhone()
    for (let i = 0; i < 3; i++) expect((await requestCode(phone, newIp())).statusCode).toBe(202)
    const fourth = await requestCode(phone, newIp())
    expect(fourth.statusCode).toBe(429)
    expect(fourth.json().detail).toContain('15 phút')
  })

  it('stops brute force on one number across codes and IPs: 10 failures lock the number for an hour', async () => {
    const phone = fakePhone()
    let failures = 0
    for (let round = 0; round < 3 && failures < 10; round++) {
      await requestCode(phone, newIp())
      const code = await lastCode(phone)
      for (let i = 0; i < 5 && failures < 10; i++) {
        expect((await verify(phone, wrong(code), newIp())).statusCode).toBe(400)
        failures++
      }
    }
    expect(failures).toBe(10)
    // Even the right code of a fresh request is refused now. (The number's 3 codes are used up too.)
    const res = await verify(phone, '000000', newIp())
    expect(res.statusCode).toBe(429)
  })

  it('limits one IP guessing across many numbers', async () => {
    const ip = newIp()
    let calls = 0
    let limited = false
    for (let n = 0; n < 20 && !limited; n++) {
      const phone = fakePhone()
      await requestCode(phone, newIp())
      const code = await lastCode(phone)
      for (let i = 0; i < OTP_LIMITS.attemptsPerCode; i++) {
        const res = await verify(phone, wrong(code), ip)
        calls++
        if (res.statusCode === 429) {
          limited = true
          break
        }
        expect(res.statusCode).toBe(400)
      }
    }
    expect(limited).toBe(true)
    expect(calls).toBe(OTP_LIMITS.failuresPerIp.max + 1)
  })

  it('limits one IP asking codes for many numbers', async () => {
    const ip = newIp()
    const max = OTP_LIMITS.codesPerIp.max
    const statuses: number[] = []
    for (let i = 0; i <= max; i++) statuses.push((await requestCode(fakePhone(), ip)).statusCode)
    expect(statuses.slice(0, max).every((s) => s === 202)).toBe(true)
    expect(statuses[max]).toBe(429)
  })

  it('refuses a code after its 5 minutes', async () => {
    const phone = fakePhone()
    const ip = newIp()
    await requestCode(phone, ip)
    const code = await lastCode(phone)
    const { sql } = await import('drizzle-orm')
    await t.db.execute(
      sql`update otp_codes set expires_at = now() - interval '1 second' where phone = ${phone}`,
    )
    const res = await verify(phone, code, ip)
    expect(res.statusCode).toBe(400)
    expect(res.json().errors[0]).toMatchObject({ field: 'code', code: 'otp_expired' })
  })

  it('only accepts the newest code for a number', async () => {
    const phone = fakePhone()
    const ip = newIp()
    await requestCode(phone, ip)
    const first = await lastCode(phone)
    await requestCode(phone, ip)
    const second = await lastCode(phone)
    if (first !== second) expect((await verify(phone, first, ip)).statusCode).toBe(400)
    expect((await verify(phone, second, ip)).statusCode).toBe(200)
  })

  it('exempts only this machine from per-IP limits, and only outside production', () => {
    expect(isIpLimitExempt({ isProduction: false }, '127.0.0.1')).toBe(true)
    expect(isIpLimitExempt({ isProduction: false }, '10.0.0.1')).toBe(false)
    expect(isIpLimitExempt({ isProduction: true }, '127.0.0.1')).toBe(false)
  })
})
