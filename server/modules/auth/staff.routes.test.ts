import { authenticator } from 'otplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../lib/passwords'
import { cookiesFrom } from '../../test/auth-helpers'
import { buildCommander, buildOfficer } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { enrolTotpSecret } from './staff-sign-in.service'

let t: TestContext
let passwordHash: string
const PASSWORD = 'mat-khau-dai-va-kho-doan'
beforeAll(async () => {
  t = await createTestApp()
  passwordHash = await hashPassword(PASSWORD)
})
afterAll(() => t.close())

let ipSeq = 0
const newIp = () => `10.2.0.${++ipSeq}`
const post = (url: string, payload: Record<string, unknown>, remoteAddress = newIp()) =>
  t.app.inject({ method: 'POST', url, payload, remoteAddress })
/** A code from the step after the current one: still inside the ±1 window, and not the step used before. */
const codeAt = (secret: string, offsetSteps: number) =>
  authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(secret)

describe('staff sign-in', () => {
  it('enrols the authenticator on first sign-in, gives 10 recovery codes, then asks for a code every time', async () => {
    const { user } = await buildOfficer(t.db, { passwordHash })
    const first = await post('/api/auth/staff/sign-in', {
      username: user.username!.toUpperCase(),
      password: PASSWORD,
    })
    expect(first.statusCode).toBe(200)
    const enrol = first.json()
    expect(enrol).toMatchObject({ step: 'enrol', secret: expect.stringMatching(/^[A-Z2-7]{32}$/) })
    expect(enrol.qrDataUrl).toMatch(/^data:image\/png;base64,/)
    expect(enrol.otpauthUrl).toContain('issuer=NhipCau')
    // Not signed in yet.
    expect(first.cookies.find((c) => c.name === 'nhipcau_session')).toBeUndefined()

    const wrong = await post('/api/auth/staff/enrol', { challenge: enrol.challenge, code: '000000' })
    expect(wrong.statusCode).toBe(400)
    const done = await post('/api/auth/staff/enrol', {
      challenge: enrol.challenge,
      code: codeAt(enrol.secret, 0),
    })
    expect(done.statusCode).toBe(200)
    expect(done.json().user).toMatchObject({ id: user.id, roles: ['officer'] })
    const codes: string[] = done.json().recoveryCodes
    expect(new Set(codes).size).toBe(10)
    const session = await t.app.inject({ url: '/api/auth/session', headers: { cookie: cookiesFrom(done) } })
    expect(session.json().user.id).toBe(user.id)

    const second = (
      await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD })
    ).json()
    expect(second).toEqual({ step: 'totp', challenge: expect.any(String) })
    const ok = await post('/api/auth/staff/totp', {
      challenge: second.challenge,
      code: codeAt(enrol.secret, 1),
    })
    expect(ok.statusCode).toBe(200)
  })

  it('never accepts the same authenticator code twice', async () => {
    const secret = authenticator.generateSecret(20)
    const { user } = await buildCommander(t.db, { passwordHash })
    await enrolTotpSecret(t.db, t.config, user.id, secret)
    const code = codeAt(secret, 0)
    const c1 = (await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD })).json()
    expect((await post('/api/auth/staff/totp', { challenge: c1.challenge, code })).statusCode).toBe(200)
    const c2 = (await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD })).json()
    expect((await post('/api/auth/staff/totp', { challenge: c2.challenge, code })).statusCode).toBe(400)
  })

  it('accepts each recovery code once', async () => {
    const { user } = await buildOfficer(t.db, { passwordHash })
    const enrol = (
      await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD })
    ).json()
    const done = await post('/api/auth/staff/enrol', {
      challenge: enrol.challenge,
      code: codeAt(enrol.secret, 0),
    })
    const [recovery] = done.json().recoveryCodes as string[]
    const c1 = (await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD })).json()
    const used = await post('/api/auth/staff/totp', {
      challenge: c1.challenge,
      code: recovery!.toUpperCase(),
    })
    expect(used.statusCode).toBe(200)
    expect(used.json().recoveryCodesLeft).toBe(9)
    const c2 = (await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD })).json()
    expect((await post('/api/auth/staff/totp', { challenge: c2.challenge, code: recovery })).statusCode).toBe(
      400,
    )
  })

  it('says the same for an unknown user and a wrong password, and locks a username for an IP after 5 failures from it', async () => {
    const { user } = await buildOfficer(t.db, { passwordHash })
    const ip = newIp()
    const unknown = await post('/api/auth/staff/sign-in', { username: 'khong-ton-tai', password: PASSWORD })
    const wrong = await post('/api/auth/staff/sign-in', { username: user.username, password: 'sai' }, ip)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.statusCode).toBe(401)
    expect(unknown.json().detail).toBe(wrong.json().detail)
    for (let i = 0; i < 4; i++)
      await post('/api/auth/staff/sign-in', { username: user.username, password: 'sai' }, ip)
    const locked = await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD }, ip)
    expect(locked.statusCode).toBe(429)
  })

  it('limits sign-in attempts per IP', async () => {
    const ip = '10.2.9.9'
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) {
      statuses.push(
        (await post('/api/auth/staff/sign-in', { username: `u${i}`, password: 'x' }, ip)).statusCode,
      )
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses[20]).toBe(429)
  })

  it('ends a challenge after 5 wrong codes', async () => {
    const secret = authenticator.generateSecret(20)
    const { user } = await buildOfficer(t.db, { passwordHash })
    await enrolTotpSecret(t.db, t.config, user.id, secret)
    const c = (await post('/api/auth/staff/sign-in', { username: user.username, password: PASSWORD })).json()
    for (let i = 0; i < 5; i++)
      expect(
        (await post('/api/auth/staff/totp', { challenge: c.challenge, code: '000000' })).statusCode,
      ).toBe(400)
    const after = await post('/api/auth/staff/totp', { challenge: c.challenge, code: codeAt(secret, 0) })
    expect(after.statusCode).toBe(401)
  })
})
