import argon2 from 'argon2'
import { authenticator } from 'otplib'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { authFailures } from '../../db/schema/index'
import { hashPassword } from '../../lib/passwords'
import { buildOfficer, fakePhone } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { OTP_LIMITS } from './otp.service'
import { ConsoleSmsProvider } from './sms/console-sms'
import { enrolTotpSecret, STAFF_LIMITS } from './staff-sign-in.service'

// F6 (rate limits raced by parallel requests) and F15 (locking the real user out), on PGlite and
// on PostgreSQL (`npm run test:pg -- server/modules/auth/sign-in-limits.test.ts`), where parallel
// requests run on separate connections.

let t: TestContext
let passwordHash: string
const PASSWORD = 'mat-khau-dai-va-kho-doan'
beforeAll(async () => {
  t = await createTestApp()
  passwordHash = await hashPassword(PASSWORD)
})
afterAll(() => t.close())
afterEach(() => vi.restoreAllMocks())

let ipSeq = 0
const newIp = () => `10.7.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`
const post = (url: string, payload: Record<string, unknown>, remoteAddress = newIp()) =>
  t.app.inject({ method: 'POST', url, payload, remoteAddress })
const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((c, s) => Object.assign(c, { [s]: (c[s] ?? 0) + 1 }), {})
const lastCode = async (phone: string) =>
  (await t.app.inject({ url: `/api/dev/last-otp?phone=${encodeURIComponent(phone)}` })).json().code as string
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
const codeAt = (secret: string, offsetSteps: number) =>
  authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(secret)

async function enrolledOfficer() {
  const secret = authenticator.generateSecret(20)
  const { user } = await buildOfficer(t.db, { passwordHash })
  await enrolTotpSecret(t.db, t.config, user.id, secret)
  return { user, username: user.username!, secret }
}

describe('F6: limits hold under parallel requests', () => {
  it('checks at most 5 of 30 parallel wrong passwords for one username with argon2', async () => {
    const { username } = await enrolledOfficer()
    const verify = vi.spyOn(argon2, 'verify')
    // One caller (this machine: no per-IP route limit), 30 guesses at once.
    const statuses = (
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          t.app.inject({
            method: 'POST',
            url: '/api/auth/staff/sign-in',
            payload: { username, password: `wrong-${i}` },
          }),
        ),
      )
    ).map((r) => r.statusCode)
    const counts = tally(statuses)
    expect(verify.mock.calls.length).toBeLessThanOrEqual(STAFF_LIMITS.passwordFailuresPerUsernameAndIp.max)
    expect(verify.mock.calls.length).toBeGreaterThan(0)
    expect(counts[401] ?? 0).toBeLessThanOrEqual(STAFF_LIMITS.passwordFailuresPerUsernameAndIp.max)
    expect(counts[429]).toBeGreaterThanOrEqual(25)
  })

  it('sends at most 3 codes to a number for 30 parallel requests', async () => {
    const phone = fakePhone()
    const send = vi.spyOn(ConsoleSmsProvider.prototype, 'send')
    const statuses = (
      await Promise.all(
        Array.from({ length: 30 }, () =>
          t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } }),
        ),
      )
    ).map((r) => r.statusCode)
    const sent = send.mock.calls.filter(([m]) => m.to === phone).length
    expect(sent).toBeLessThanOrEqual(OTP_LIMITS.codesPerNumber.max)
    expect(sent).toBeGreaterThan(0)
    expect(tally(statuses)[202]).toBe(sent)
  })

  it('compares only one of 5 parallel wrong codes when the number has 9 of its 10 failures', async () => {
    const phone = fakePhone()
    expect((await post('/api/auth/otp/request', { phone })).statusCode).toBe(202)
    const code = await lastCode(phone)
    await t.db.insert(authFailures).values(Array.from({ length: 9 }, () => ({ kind: 'otp', subject: phone })))
    const statuses = (
      await Promise.all(
        Array.from({ length: 5 }, () => post('/api/auth/otp/verify', { phone, code: wrong(code) })),
      )
    ).map((r) => r.statusCode)
    expect(tally(statuses)).toEqual({ 400: 1, 429: 4 })
  })

  it('compares only one of 10 parallel wrong authenticator codes when the user has 9 of its 10 failures', async () => {
    const { user, username, secret } = await enrolledOfficer()
    const challenges: string[] = []
    for (let i = 0; i < 2; i++) {
      challenges.push(
        (await post('/api/auth/staff/sign-in', { username, password: PASSWORD })).json().challenge,
      )
    }
    await t.db
      .insert(authFailures)
      .values(Array.from({ length: 9 }, () => ({ kind: 'second_factor', subject: user.id })))
    const bad = wrong(codeAt(secret, 0))
    const statuses = (
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          post('/api/auth/staff/totp', { challenge: challenges[i % 2], code: bad }),
        ),
      )
    ).map((r) => r.statusCode)
    expect(tally(statuses)).toEqual({ 400: 1, 429: 9 })
  })
})

describe('F15: guessing cannot lock the real user out', () => {
  it('locks the guessing IP after 5 wrong passwords while the user signs in from elsewhere', async () => {
    const { username, secret } = await enrolledOfficer()
    const attacker = newIp()
    for (let i = 0; i < 5; i++) {
      expect(
        (await post('/api/auth/staff/sign-in', { username, password: 'sai' }, attacker)).statusCode,
      ).toBe(401)
    }
    // The guessing IP is locked, even with the right password.
    expect(
      (await post('/api/auth/staff/sign-in', { username, password: PASSWORD }, attacker)).statusCode,
    ).toBe(429)
    const challenge = await post('/api/auth/staff/sign-in', { username, password: PASSWORD })
    expect(challenge.json()).toEqual({ step: 'totp', challenge: expect.any(String) })
    const ok = await post('/api/auth/staff/totp', {
      challenge: challenge.json().challenge,
      code: codeAt(secret, 0),
    })
    expect(ok.statusCode).toBe(200)
  })

  it('past the soft limit a wrong password opens a decoy no code passes; password and code together still sign in', async () => {
    const { username, secret } = await enrolledOfficer()
    const soft = STAFF_LIMITS.passwordFailuresPerUsername.max
    for (let i = 0; i < soft; i++) {
      const ip = `10.8.${Math.floor(i / 5)}.1`
      expect((await post('/api/auth/staff/sign-in', { username, password: `sai-${i}` }, ip)).statusCode).toBe(
        401,
      )
    }
    // A new IP guessing: the answer no longer tells a wrong password from a right one…
    const decoy = await post('/api/auth/staff/sign-in', { username, password: 'sai-nua' })
    expect(decoy.statusCode).toBe(200)
    expect(decoy.json()).toEqual({ step: 'totp', challenge: expect.any(String) })
    // …and even the right authenticator code fails on it, with the same answer as a wrong code.
    const onDecoy = await post('/api/auth/staff/totp', {
      challenge: decoy.json().challenge,
      code: codeAt(secret, 0),
    })
    const real = await post('/api/auth/staff/sign-in', { username, password: PASSWORD })
    const wrongOnReal = await post('/api/auth/staff/totp', {
      challenge: real.json().challenge,
      code: '000000',
    })
    expect(onDecoy.statusCode).toBe(400)
    expect(wrongOnReal.statusCode).toBe(400)
    expect(onDecoy.json().detail).toBe(wrongOnReal.json().detail)
    // The real user: the right password and the right code.
    const ok = await post('/api/auth/staff/totp', {
      challenge: real.json().challenge,
      code: codeAt(secret, 1),
    })
    expect(ok.statusCode).toBe(200)
  })

  it('keeps staff without an authenticator locked past the soft limit, even with the right password', async () => {
    const { user } = await buildOfficer(t.db, { passwordHash })
    for (let i = 0; i < STAFF_LIMITS.passwordFailuresPerUsername.max; i++) {
      const ip = `10.9.${Math.floor(i / 5)}.1`
      await post('/api/auth/staff/sign-in', { username: user.username, password: 'sai' }, ip)
    }
    expect(
      (await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD })).statusCode,
    ).toBe(429)
  })
})
