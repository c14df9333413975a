import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { createdAt, id } from './columns'
import { users } from './organisation'

/** A signed-in browser. Only the SHA-256 of the cookie token is stored; the IP is erased after 30 days. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
    ip: text('ip'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
)

/** Residents' one-time sign-in codes: HMAC of the code only, 5 minutes, 5 attempts. */
export const otpCodes = pgTable(
  'otp_codes',
  {
    id: id(),
    /** Normalised +84… number. */
    phone: text('phone').notNull(),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    ip: text('ip'),
  },
  (t) => [
    index('otp_codes_phone_idx').on(t.phone, t.createdAt),
    index('otp_codes_ip_idx').on(t.ip, t.createdAt),
  ],
)

/** Staff second factor: the TOTP secret, encrypted with a key derived from SESSION_SECRET. */
export const staffCredentials = pgTable('staff_credentials', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  totpSecretEnc: text('totp_secret_enc'),
  totpEnrolledAt: timestamp('totp_enrolled_at', { withTimezone: true }),
  /** The last accepted 30-second step: a code is never accepted twice. */
  totpLastStep: integer('totp_last_step'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Ten one-time recovery codes per staff member, stored as HMACs. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
)

/** Between the password step and the second factor: a short-lived, single-use challenge. */
export const signInChallenges = pgTable(
  'sign_in_challenges',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    /**
     * totp: enrolled staff enter a code; enrol: first sign-in, a pending secret waits for
     * confirmation; decoy: a wrong password while the username is guarded, answered like totp.
     */
    step: text('step', { enum: ['totp', 'enrol', 'decoy'] }).notNull(),
    pendingSecretEnc: text('pending_secret_enc'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('sign_in_challenges_token_key').on(t.tokenHash)],
)

/** Failed sign-in attempts, counted per username (or user) across all app instances. */
export const authFailures = pgTable(
  'auth_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** password, second_factor, otp */
    kind: text('kind').notNull(),
    /** Lower-cased username, user id or phone. */
    subject: text('subject').notNull(),
    ip: text('ip'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('auth_failures_subject_idx').on(t.kind, t.subject, t.at)],
)
