import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../db/schema/index'
import { hashPassword } from '../../lib/passwords'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import { buildOfficer, buildResident } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

/** Security review F20: staff could not change their password, and nothing refused a weak one. */
let t: TestContext
let passwordHash: string
const PASSWORD = 'mat-khau-dai-va-kho-doan'
const NEW_PASSWORD = 'Sáng nay trời Hà Nội mưa phùn 7'
beforeAll(async () => {
  t = await createTestApp()
  passwordHash = await hashPassword(PASSWORD)
})
afterAll(() => t.close())

let ipSeq = 0
const newIp = () => `10.7.0.${++ipSeq}`

const change = (session: TestSession, body: Record<string, string>, remoteAddress = newIp()) =>
  t.app.inject({
    method: 'PUT',
    url: '/api/me/password',
    headers: session.headers,
    payload: body,
    remoteAddress,
  })

/** The sign-in page's first step: 200 when the password is right, 401 when it is wrong. */
const passwordStep = async (username: string, password: string) =>
  (
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/staff/sign-in',
      payload: { username, password },
      remoteAddress: newIp(),
    })
  ).statusCode

const signedIn = async (session: TestSession) =>
  (await t.app.inject({ url: '/api/auth/session', headers: session.headers })).json().user !== null

async function officer() {
  const { user } = await buildOfficer(t.db, { passwordHash })
  const here = await signInAs(t.app, user)
  const elsewhere = await signInAs(t.app, user)
  return { user, username: user.username!, here, elsewhere }
}

describe('a staff member changes their password (F20)', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const o = await officer()
    const res = await change(o.here, { currentPassword: 'doan-sai-mat-roi', newPassword: NEW_PASSWORD })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'currentPassword', code: 'wrong' })])
    expect(await passwordStep(o.username, PASSWORD)).toBe(200)
    expect(await passwordStep(o.username, NEW_PASSWORD)).toBe(401)
    expect(await signedIn(o.elsewhere)).toBe(true)
  })

  it('refuses a new password shorter than 12 characters, or a common or breached one', async () => {
    const o = await officer()
    const refusal = async (newPassword: string) => {
      const res = await change(o.here, { currentPassword: PASSWORD, newPassword })
      expect(res.statusCode, newPassword).toBe(400)
      const [error] = res.json().errors
      expect(error.field).toBe('newPassword')
      return error.code
    }
    expect(await refusal('Ngắn quá 1!')).toBe('too_short')
    for (const weak of [
      '123456789012', // only digits
      'matkhau123456', // "password" in Vietnamese
      'Anhyeuem@2024', // "I love you" with a year
      'password1234', // on every breach list
      'qwertyuiop123',
      'aaaaaaaaaaaaaaa',
      `${o.username}-2026!`, // the username
    ])
      expect(await refusal(weak)).toBe('common')
    expect(await refusal(PASSWORD)).toBe('unchanged')
    expect(await passwordStep(o.username, PASSWORD)).toBe(200)
    expect(await signedIn(o.elsewhere)).toBe(true)
  })

  it('changes it, signs the other browsers out, keeps this one, and audits it', async () => {
    const o = await officer()
    const res = await change(o.here, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ended: 1 })
    expect(await signedIn(o.elsewhere)).toBe(false)
    expect(await signedIn(o.here)).toBe(true)
    expect(await passwordStep(o.username, PASSWORD)).toBe(401)
    expect(await passwordStep(o.username, NEW_PASSWORD)).toBe(200)
    const rows = await t.db
      .select({ actorId: auditLog.actorId, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'auth.password_change'), eq(auditLog.entityId, o.user.id)))
    expect(rows).toEqual([{ actorId: o.user.id, details: { sessionsEnded: 1 } }])
  })

  it('counts wrong current passwords like sign-in: after 5 from one place, even the right one waits', async () => {
    const o = await officer()
    const ip = '10.7.9.9'
    for (let i = 0; i < 5; i++)
      expect(
        (await change(o.here, { currentPassword: `sai-${i}-mat-khau`, newPassword: NEW_PASSWORD }, ip))
          .statusCode,
      ).toBe(400)
    const locked = await change(o.here, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, ip)
    expect(locked.statusCode).toBe(429)
    expect(await passwordStep(o.username, NEW_PASSWORD)).toBe(401)
  })

  it('is for staff only: residents sign in with a code and have no password', async () => {
    const resident = await signInAs(t.app, await buildResident(t.db))
    const res = await change(resident, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
    expect(res.statusCode).toBe(403)
  })
})
