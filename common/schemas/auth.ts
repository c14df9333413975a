import { z } from 'zod'
import { normalizeMobilePhone } from '../text/phone'

/** A Vietnamese mobile number in any usual form, normalised to +84…; anything else is a `phone` field error. */
export const ZMobilePhone = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const e164 = normalizeMobilePhone(value)
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'i18n:field.phone_invalid' })
      return z.NEVER
    }
    return e164
  })

export const ZOtpRequest = z.object({ phone: ZMobilePhone })
export type TOtpRequest = z.input<typeof ZOtpRequest>

export const ZOtpRequestResponse = z.object({
  /** The normalised number the code went to. */
  phone: z.string(),
  expiresInSeconds: z.number().int(),
  /** How long before another code may be asked for this number. */
  codesLeft: z.number().int().min(0),
})
export type TOtpRequestResponse = z.infer<typeof ZOtpRequestResponse>

export const ZOtpVerify = z.object({
  phone: ZMobilePhone,
  code: z.string().regex(/^\d{6}$/, 'i18n:field.otp_format'),
})
export type TOtpVerify = z.input<typeof ZOtpVerify>

export const roleNames = ['resident', 'moderator', 'officer', 'commander', 'admin'] as const

/** Who is signed in, as the web client needs it. */
export const ZSessionUser = z.object({
  id: z.uuid(),
  kind: z.enum(['resident', 'staff']),
  displayName: z.string(),
  locale: z.enum(['vi', 'en']),
  areaId: z.uuid().nullable(),
  roles: z.array(z.enum(roleNames)),
})
export type TSessionUser = z.infer<typeof ZSessionUser>

export const ZSessionResponse = z.object({ user: ZSessionUser.nullable() })
export type TSessionResponse = z.infer<typeof ZSessionResponse>

export const ZSignedIn = z.object({
  user: ZSessionUser,
  /** True the first time a resident signs in: the account was just created and needs an area. */
  isNewAccount: z.boolean().optional(),
  /** Shown once, right after enrolment. */
  recoveryCodes: z.array(z.string()).optional(),
  /** After signing in with a recovery code: how many remain. */
  recoveryCodesLeft: z.number().int().optional(),
})
export type TSignedIn = z.infer<typeof ZSignedIn>

export const ZStaffSignIn = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
})
export type TStaffSignIn = z.infer<typeof ZStaffSignIn>

export const ZStaffChallenge = z.discriminatedUnion('step', [
  z.object({ step: z.literal('totp'), challenge: z.string() }),
  z.object({
    step: z.literal('enrol'),
    challenge: z.string(),
    /** Base32 secret, for authenticator apps that cannot scan. */
    secret: z.string(),
    otpauthUrl: z.string(),
    qrDataUrl: z.string(),
  }),
])
export type TStaffChallenge = z.infer<typeof ZStaffChallenge>

export const ZStaffSecondFactor = z.object({
  challenge: z.string().min(20).max(100),
  /** A 6-digit authenticator code, or (TOTP step only) a recovery code such as "k7m2p-q9x4t". */
  code: z.string().trim().min(6).max(20),
})
export type TStaffSecondFactor = z.infer<typeof ZStaffSecondFactor>
