import type { TStaffChallenge } from '@common/schemas/auth'
import { authenticator } from 'otplib'
import type { Config } from '../../config'
import type { DbOrTx } from '../../db/client'
import { AppError } from '../../lib/errors'
import { hashPassword, verifyPassword } from '../../lib/passwords'
import { releaseAttempt, takeAttempt } from './attempts.repository'
import {
  decryptSecret,
  encryptSecret,
  hmac,
  newRecoveryCode,
  newToken,
  normalizeRecoveryCode,
  sha256,
} from './auth.crypto'
import * as repo from './staff.repository'

/** One step of drift either way (±30 s) for phone clocks. */
const totp = authenticator.clone({ window: 1 })

export const STAFF_LIMITS = {
  /** A hard lock, but only for the (username, IP) pair that guessed: the real user elsewhere is not locked out. */
  passwordFailuresPerUsernameAndIp: { max: 5, minutes: 15 },
  /**
   * A soft limit over every IP: past it the username is guarded. A wrong password then opens a
   * decoy challenge that no code passes, so a password is only confirmed together with a correct
   * authenticator code, while the real user still signs in with both. Staff without an authenticator
   * (and unknown usernames) stay locked.
   */
  passwordFailuresPerUsername: { max: 10, minutes: 15 },
  secondFactorFailuresPerUser: { max: 10, minutes: 15 },
  attemptsPerChallenge: 5,
  challengeSeconds: { totp: 5 * 60, enrol: 15 * 60 },
  recoveryCodes: 10,
} as const

const ISSUER = 'NhipCau'
let dummyHash: Promise<string> | undefined
const rateLimited = (key: string) => new AppError('rate_limited', key)
const badCredentials = () => new AppError('unauthenticated', 'auth.staff.bad_credentials')
const challengeGone = () => new AppError('unauthenticated', 'auth.staff.challenge_expired')
const wrongCode = () =>
  new AppError('validation', undefined, {
    fields: [{ field: 'code', code: 'totp_wrong', messageKey: 'auth.staff.wrong_code' }],
  })

const currentStep = () => Math.floor(Date.now() / 30_000)

/** The 30-second step a code belongs to, or null when it matches none within the window. */
function matchStep(code: string, secret: string): number | null {
  const delta = totp.checkDelta(code, secret)
  return delta === null ? null : currentStep() + delta
}

interface Origin {
  ip: string | null
}

/**
 * Step 1: username and password. Failures count per username across instances (and per IP in the
 * route). A correct password never signs in alone: it opens a short challenge for the second factor,
 * or for enrolment when the staff member has no authenticator yet.
 */
export async function passwordStep(
  db: DbOrTx,
  config: Config,
  username: string,
  password: string,
  origin: Origin,
) {
  const subject = username.toLowerCase()
  // Counted before argon2 runs, atomically: parallel guesses never check more than the limit.
  const slot = await takeAttempt(db, 'password', subject, origin.ip, {
    subjectAndIp: STAFF_LIMITS.passwordFailuresPerUsernameAndIp,
  })
  if ('refused' in slot) throw rateLimited('auth.staff.locked')
  const guarded = slot.bySubject >= STAFF_LIMITS.passwordFailuresPerUsername.max
  const user = await repo.findStaffByUsername(db, username)
  // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
  dummyHash ??= hashPassword('no-such-user-no-such-password')
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), password)
  const creds = user ? await repo.findCredentials(db, user.id) : undefined
  const enrolled = !!(creds?.totpSecretEnc && creds.totpEnrolledAt)
  if (guarded && !enrolled) throw rateLimited('auth.staff.locked')
  if (!user?.passwordHash || !ok) {
    if (guarded && user) return openTotpChallenge(db, user.id, 'decoy')
    throw badCredentials()
  }
  await releaseAttempt(db, slot.id)
  if (enrolled) return openTotpChallenge(db, user.id, 'totp')
  const token = newToken()
  const secret = totp.generateSecret(20)
  await repo.insertChallenge(db, {
    userId: user.id,
    tokenHash: sha256(token),
    step: 'enrol',
    pendingSecretEnc: encryptSecret(config.SESSION_SECRET, secret),
    expiresAt: new Date(Date.now() + STAFF_LIMITS.challengeSeconds.enrol * 1000),
  })
  const otpauthUrl = totp.keyuri(user.username ?? user.id, ISSUER, secret)
  const { default: QRCode } = await import('qrcode') // on enrolment only, not at every start
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 240 })
  return { step: 'enrol', challenge: token, secret, otpauthUrl, qrDataUrl } satisfies TStaffChallenge
}

/** A challenge for the authenticator code; a decoy looks and counts the same but no code passes it. */
async function openTotpChallenge(db: DbOrTx, userId: string, step: 'totp' | 'decoy') {
  const token = newToken()
  await repo.insertChallenge(db, {
    userId,
    tokenHash: sha256(token),
    step,
    expiresAt: new Date(Date.now() + STAFF_LIMITS.challengeSeconds.totp * 1000),
  })
  return { step: 'totp', challenge: token } satisfies TStaffChallenge
}

/**
 * Opens a challenge for one guess at the second factor. The guess takes an attempt slot first
 * (atomically, per user), which stays as the failure unless the caller releases it. Guesses on
 * decoys count apart, so an attacker's decoys never lock the real user's second factor.
 */
async function openChallenge(db: DbOrTx, token: string, step: 'totp' | 'enrol', origin: Origin) {
  const challenge = await repo.findOpenChallenge(db, sha256(token))
  const asked = challenge?.step === 'decoy' ? 'totp' : challenge?.step
  if (!challenge || asked !== step) throw challengeGone()
  const decoy = challenge.step === 'decoy'
  const slot = await takeAttempt(
    db,
    'second_factor',
    decoy ? `decoy:${challenge.userId}` : challenge.userId,
    origin.ip,
    { subject: STAFF_LIMITS.secondFactorFailuresPerUser },
  )
  if ('refused' in slot) throw rateLimited('auth.staff.locked')
  if ((await repo.takeChallengeAttempt(db, challenge.id, STAFF_LIMITS.attemptsPerChallenge)) === undefined) {
    await releaseAttempt(db, slot.id)
    throw challengeGone()
  }
  return { challenge, decoy, slotId: slot.id }
}

async function finish(db: DbOrTx, challengeId: string, userId: string) {
  if (!(await repo.consumeChallenge(db, challengeId))) throw challengeGone()
  const user = await repo.findUserById(db, userId)
  if (!user) throw challengeGone()
  return user
}

/** Step 2: a code from the authenticator (never the same 30-second code twice) or a recovery code. */
export async function secondFactorStep(
  db: DbOrTx,
  config: Config,
  token: string,
  code: string,
  origin: Origin,
) {
  const { challenge, decoy, slotId } = await openChallenge(db, token, 'totp', origin)
  const creds = await repo.findCredentials(db, challenge.userId)
  let usedRecovery = false
  let accepted = false
  if (decoy) {
    // A wrong password under guard: nothing passes, and nothing says so.
  } else if (/^\d{6}$/.test(code) && creds?.totpSecretEnc) {
    const step = matchStep(code, decryptSecret(config.SESSION_SECRET, creds.totpSecretEnc))
    accepted = step !== null && (await repo.advanceTotpStep(db, challenge.userId, step))
  } else if (!/^\d{6}$/.test(code)) {
    const hash = hmac(config.SESSION_SECRET, `recovery:${normalizeRecoveryCode(code)}`)
    accepted = usedRecovery = await repo.consumeRecoveryCode(db, challenge.userId, hash)
  }
  if (!accepted) throw wrongCode()
  await releaseAttempt(db, slotId)
  const user = await finish(db, challenge.id, challenge.userId)
  return {
    user,
    recoveryCodesLeft: usedRecovery ? await repo.countUnusedRecoveryCodes(db, user.id) : undefined,
  }
}

/** First sign-in: the code proves the authenticator holds the secret; then 10 recovery codes, shown once. */
export async function enrolStep(db: DbOrTx, config: Config, token: string, code: string, origin: Origin) {
  const { challenge, slotId } = await openChallenge(db, token, 'enrol', origin)
  const secret = decryptSecret(config.SESSION_SECRET, challenge.pendingSecretEnc ?? '')
  const step = /^\d{6}$/.test(code) ? matchStep(code, secret) : null
  if (step === null) throw wrongCode()
  await releaseAttempt(db, slotId)
  const user = await finish(db, challenge.id, challenge.userId)
  await repo.saveTotp(db, user.id, encryptSecret(config.SESSION_SECRET, secret), step)
  const recoveryCodes = await issueRecoveryCodes(db, config, user.id)
  return { user, recoveryCodes }
}

/** Replaces a staff member's recovery codes with 10 new ones; only their HMACs are stored. */
export async function issueRecoveryCodes(db: DbOrTx, config: Pick<Config, 'SESSION_SECRET'>, userId: string) {
  const codes = Array.from({ length: STAFF_LIMITS.recoveryCodes }, newRecoveryCode)
  await repo.replaceRecoveryCodes(
    db,
    userId,
    codes.map((c) => hmac(config.SESSION_SECRET, `recovery:${normalizeRecoveryCode(c)}`)),
  )
  return codes
}

/** Enrols a known secret directly: the demo seed (fixed, printed secret) and tests. Never a route. */
export async function enrolTotpSecret(
  db: DbOrTx,
  config: Pick<Config, 'SESSION_SECRET'>,
  userId: string,
  secret: string,
) {
  await repo.saveTotp(db, userId, encryptSecret(config.SESSION_SECRET, secret), 0)
}
