import { listAllUserSessions } from '../auth/session.repository'
import { anonymiseUser, findUnit, findUser, forgetSessions } from './account.repository'
import { definePersonalData } from './account-data.registry'

const iso = (d: Date | null) => d?.toISOString() ?? null

/** The account itself: profile, sign-in number, browsers signed in, one-time codes and failure counters. */
export const accountPersonalData = definePersonalData({
  name: 'account',
  fields: [
    {
      table: 'users',
      columns: ['phone', 'display_name', 'full_name', 'email', 'address', 'area_id', 'photo_url'],
      purpose: 'Sign-in; routing to the responsible officer; contact by the officer',
      readers: 'The resident; officers of the area; commanders above (audited)',
      retention: 'While the account exists',
      legalBasis: 'Consent of the resident (Decree 13/2023 art. 11)',
      onErase: 'Anonymised in place (the row stays: other records point to it)',
    },
    {
      table: 'sessions',
      columns: ['ip', 'user_agent'],
      purpose: 'Signed-in browsers; abuse prevention',
      readers: 'The resident; administrators',
      retention: 'IP and user agent 30 days (retention job); expired sessions 30 days after expiry',
      legalBasis: 'Legitimate interest: security of the service',
      onErase: 'Ended; IP and user agent erased',
    },
    {
      table: 'otp_codes, auth_failures',
      columns: ['phone', 'subject', 'ip'],
      purpose: 'One-time sign-in codes and failed-attempt counters (rate limits)',
      readers: 'Nobody (used by the server only)',
      retention: '1 day (retention job)',
      legalBasis: 'Legitimate interest: security of the service',
      onErase: 'Deleted',
    },
    {
      table: 'idempotent_requests',
      columns: ['body'],
      purpose: 'The first answer to a signed-in request, replayed when the app retries it',
      readers: 'Nobody (used by the server only)',
      retention: '1 day (retention job)',
      legalBasis: 'Performance of the service',
      onErase: 'Deleted',
    },
  ],

  async export(db, userId) {
    const user = await findUser(db, userId)
    const area = user?.areaId ? await findUnit(db, user.areaId) : undefined
    const sessions = await listAllUserSessions(db, userId)
    return {
      data: {
        profile: user && {
          id: user.id,
          phone: user.phone,
          displayName: user.displayName,
          fullName: user.fullName,
          email: user.email,
          address: user.address,
          area: area ? { id: area.id, name: area.name } : null,
          locale: user.locale,
          largeText: user.largeText,
          smsAlerts: user.smsAlerts,
          createdAt: iso(user.createdAt),
          updatedAt: iso(user.updatedAt),
        },
        sessions: sessions.map((s) => ({
          id: s.id,
          browser: s.userAgent,
          ip: s.ip,
          createdAt: iso(s.createdAt),
          lastSeenAt: iso(s.lastSeenAt),
          expiresAt: iso(s.expiresAt),
          revokedAt: iso(s.revokedAt),
        })),
      },
    }
  },

  async erase(tx, userId) {
    const user = await findUser(tx, userId)
    const count = await forgetSessions(tx, userId)
    await anonymiseUser(tx, userId, user?.phone ?? null)
    return { count: count + 1 }
  },
})
