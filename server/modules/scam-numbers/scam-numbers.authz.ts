import { randomUUID } from 'node:crypto'
import type { AuthzRequestContext } from '../../test/authz-types'
import { defineAuthz } from '../../test/authz-types'
import { buildScamReport, fakeScamPhone } from '../../test/factories/index'

/**
 * Residents report; the reporter's area officer and the commanders above verify (reporter data is
 * personal data); never the neighbouring ward or administrators. A verified number's page and the
 * feed are public, counts only.
 */
const residents = ['resident', 'residentOtherArea', 'moderator'] as const
const areaStaff = ['officer', 'commander'] as const
const staffWithAreas = ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'] as const
const everyone = [
  'anonymous',
  ...residents,
  'officer',
  'officerNeighbour',
  'commander',
  'commanderNeighbour',
  'admin',
] as const

/** A number verified on a report from the home area (world.resident). */
const verifiedNumber = async ({ db, world }: AuthzRequestContext) =>
  buildScamReport(db, {
    reporter: world.users.resident,
    status: 'verified',
    verifiedBy: world.users.officer,
  })

export const authzEntries = defineAuthz([
  {
    method: 'POST',
    route: '/api/scam-numbers/reports',
    allow: residents,
    note: 'a signed-in resident with a home area; staff verify instead',
    request: () => ({
      payload: {
        phone: fakeScamPhone(),
        claimedAs: 'police',
        calledAt: new Date(Date.now() - 60_000).toISOString(),
        clientKey: `authz-${randomUUID()}`,
      },
    }),
  },
  { method: 'GET', route: '/api/scam-numbers/reports/mine', allow: residents },
  { method: 'GET', route: '/api/scam-numbers/queue', allow: staffWithAreas },
  {
    method: 'POST',
    route: '/api/scam-numbers/reports/:id/review',
    allow: areaStaff,
    note: 'the reporter’s area officer and the commanders above it',
    request: async ({ db, world }) => {
      const r = await buildScamReport(db, { reporter: world.users.resident })
      return { url: `/api/scam-numbers/reports/${r.id}/review`, payload: { decision: 'verify' } }
    },
  },
  {
    method: 'POST',
    route: '/api/scam-numbers/numbers/:phone/alert',
    allow: areaStaff,
    note: 'staff who may read a verified report of the number; the alerts rules decide the rest',
    request: async (ctx) => {
      const r = await verifiedNumber(ctx)
      return { url: `/api/scam-numbers/numbers/${encodeURIComponent(r.phone)}/alert` }
    },
  },
  {
    method: 'GET',
    route: '/api/scam-numbers/numbers/:phone',
    allow: everyone,
    request: async (ctx) => {
      const r = await verifiedNumber(ctx)
      return { url: `/api/scam-numbers/numbers/${encodeURIComponent(r.phone)}` }
    },
  },
  { method: 'GET', route: '/api/scam-numbers/feed.json', allow: everyone },
  { method: 'GET', route: '/api/scam-numbers/feed.csv', allow: everyone },
])
