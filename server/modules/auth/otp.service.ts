import { translate } from '@common/i18n/messages'
import type { Config } from '../../config'
import type { Db } from '../../db/client'
import { AppError } from '../../lib/errors'
import * as attempts from './attempts.repository'
import { hmac, newOtpCode, safeEqual } from './auth.crypto'
import * as repo from './otp.repository'
import { SmsDeliveryError, type SmsProvider } from './sms/sms-provider'

/** The limits (issue 3): codes live 5 minutes and take 5 guesses; numbers and IPs are rate-limited. */
export const OTP_LIMITS = {
  ttlSeconds: 5 * 60,
  attemptsPerCode: 5,
  codesPerNumber: { max: 3, minutes: 15 },
  /** Generous enough for many residents behind one carrier-grade NAT, tight enough against SMS pumping. */
  codesPerIp: { max: 20, minutes: 15 },
  failuresPerNumber: { max: 10, minutes: 60 },
  failuresPerIp: { max: 30, minutes: 15 },
  /** Verify calls per IP per 15 minutes on one instance (@fastify/rate-limit), right or wrong. */
  verifyCallsPerIp: 40,
} as const

const rateLimited = (key: string) => new AppError('rate_limited', key)
const codeExpired = () =>
  new AppError('validation', undefined, {
    fields: [{ field: 'code', code: 'otp_expired', messageKey: 'auth.otp.expired' }],
  })
const codeHash = (config: Config, phone: string, code: string) =>
  hmac(config.SESSION_SECRET, `otp:${phone}:${code}`)

interface Origin {
  ip: string | null
}

/** Sends a new code unless the number or the IP asked too often. Never says whether an account exists. */
export async function requestCode(
  db: Db,
  config: Config,
  sms: SmsProvider,
  phone: string,
  locale: 'vi' | 'en',
  origin: Origin,
) {
  const { codesPerNumber, codesPerIp } = OTP_LIMITS
  await repo.purgeOldAuthRows(db)
  const code = newOtpCode()
  // Counted and stored under one lock per number and IP: parallel requests never send more codes.
  const stored = await attempts.insertCodeWithinLimits(
    db,
    {
      phone,
      codeHash: codeHash(config, phone, code),
      expiresAt: new Date(Date.now() + OTP_LIMITS.ttlSeconds * 1000),
      ip: origin.ip,
    },
    { perNumber: codesPerNumber, perIp: codesPerIp },
  )
  if ('refused' in stored) {
    throw rateLimited(stored.refused === 'number' ? 'auth.otp.too_many_codes' : 'auth.otp.too_many_codes_ip')
  }
  const sentToNumber = stored.sentBefore
  try {
    await sms.send({ to: phone, text: translate(locale, 'auth.otp.sms_text', { code }) })
  } catch (err) {
    if (err instanceof SmsDeliveryError) throw new AppError('unavailable', 'auth.otp.sms_failed')
    throw err
  }
  return {
    phone,
    expiresInSeconds: OTP_LIMITS.ttlSeconds,
    codesLeft: codesPerNumber.max - sentToNumber - 1,
  }
}

/**
 * Checks a code. Each guess is counted in the database before comparing, so parallel guesses on
 * several app instances share the same 5 attempts; failures also count per number and per IP.
 * Returns the resident (created on first sign-in).
 */
export async function verifyCode(db: Db, config: Config, phone: string, code: string, origin: Origin) {
  const { failuresPerNumber, failuresPerIp } = OTP_LIMITS
  // The guess is counted before the code is compared; it stays a failure only if it was wrong.
  const slot = await attempts.takeAttempt(db, 'otp', phone, origin.ip, {
    subject: failuresPerNumber,
    ip: failuresPerIp,
  })
  if ('refused' in slot) throw rateLimited('auth.otp.too_many_attempts')
  let failed = false
  try {
    const open = await repo.findOpenCode(db, phone)
    if (!open || open.expiresAt.getTime() <= Date.now()) throw codeExpired()
    const attemptsSoFar = await repo.takeAttempt(db, open.id, OTP_LIMITS.attemptsPerCode)
    if (attemptsSoFar === undefined) throw rateLimited('auth.otp.code_locked')
    if (!safeEqual(open.codeHash, codeHash(config, phone, code))) {
      failed = true
      const left = OTP_LIMITS.attemptsPerCode - attemptsSoFar
      throw new AppError('validation', 'auth.otp.attempts_left', {
        fields: [
          {
            field: 'code',
            code: 'otp_wrong',
            messageKey: left > 0 ? 'auth.otp.wrong_code' : 'auth.otp.code_locked',
          },
        ],
        vars: { left },
        extra: { attemptsLeft: left },
      })
    }
    if (!(await repo.consumeCode(db, open.id))) throw codeExpired()
  } finally {
    if (!failed) await attempts.releaseAttempt(db, slot.id)
  }
  const existing = await repo.findUserByPhone(db, phone)
  if (existing && existing.kind !== 'resident') throw new AppError('forbidden', 'auth.otp.staff_number')
  if (existing) return { user: existing, isNew: false }
  return { user: await repo.createResident(db, phone, 'vi'), isNew: true }
}
