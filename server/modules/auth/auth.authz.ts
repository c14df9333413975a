import { authenticator } from 'otplib'
import { hashPassword } from '../../lib/passwords'
import { type AuthzRequestContext, defineAuthz, roleSets } from '../../test/authz-types'
import { buildOfficer, fakePhone } from '../../test/factories/index'
import { encryptSecret, newToken, sha256 } from './auth.crypto'
import { insertChallenge } from './staff.repository'
import { enrolTotpSecret } from './staff-sign-in.service'

const PASSWORD = 'matrix-password-0001'
let passwordHash: Promise<string> | undefined

/** A fresh staff member with a password, so each role's call signs someone in for real. */
async function staffWithPassword({ db }: AuthzRequestContext) {
  passwordHash ??= hashPassword(PASSWORD)
  return (await buildOfficer(db, { passwordHash: await passwordHash })).user
}

/** A live second-factor challenge and a code that answers it. */
async function challengeFor(ctx: AuthzRequestContext, step: 'totp' | 'enrol') {
  const user = await staffWithPassword(ctx)
  const secret = authenticator.generateSecret(20)
  const token = newToken()
  const key = ctx.app.deps.config.SESSION_SECRET
  if (step === 'totp') await enrolTotpSecret(ctx.db, { SESSION_SECRET: key }, user.id, secret)
  await insertChallenge(ctx.db, {
    userId: user.id,
    tokenHash: sha256(token),
    step,
    pendingSecretEnc: step === 'enrol' ? encryptSecret(key, secret) : null,
    expiresAt: new Date(Date.now() + 60_000),
  })
  return { payload: { challenge: token, code: authenticator.generate(secret) } }
}

/** Sign-in is open to everyone by nature; the limits are tested in the module's own tests. */
export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/auth/session', allow: roleSets.everyone },
  { method: 'POST', route: '/api/auth/sign-out', allow: roleSets.everyone, freshSession: true },
  {
    method: 'POST',
    route: '/api/auth/otp/request',
    allow: roleSets.everyone,
    request: () => ({ payload: { phone: fakePhone() } }),
  },
  {
    method: 'POST',
    route: '/api/auth/otp/verify',
    allow: roleSets.everyone,
    freshSession: true,
    note: 'a code for a number that asked none: 400, the door is open',
    request: () => ({ payload: { phone: fakePhone(), code: '123456' } }),
  },
  {
    method: 'POST',
    route: '/api/auth/staff/sign-in',
    allow: roleSets.everyone,
    request: async (ctx) => ({
      payload: { username: (await staffWithPassword(ctx)).username, password: PASSWORD },
    }),
  },
  {
    method: 'POST',
    route: '/api/auth/staff/totp',
    allow: roleSets.everyone,
    freshSession: true,
    request: (ctx) => challengeFor(ctx, 'totp'),
  },
  {
    method: 'POST',
    route: '/api/auth/staff/enrol',
    allow: roleSets.everyone,
    freshSession: true,
    request: (ctx) => challengeFor(ctx, 'enrol'),
  },
  {
    method: 'GET',
    route: '/api/dev/last-otp',
    allow: roleSets.everyone,
    note: 'development and tests only; never registered in production',
    request: async ({ app }) => {
      const phone = fakePhone()
      await app.inject({
        method: 'POST',
        url: '/api/auth/otp/request',
        payload: { phone },
        remoteAddress: '10.250.0.1',
      })
      // The development code reader answers this machine only (F11): the call comes from loopback.
      return { query: { phone }, remoteAddress: '127.0.0.1' }
    },
  },
])
