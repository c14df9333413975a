import { randomUUID } from 'node:crypto'
import { smsSettings } from '../../db/schema/index'
import { type AuthzRequestContext, type AuthzRole, defineAuthz, roleSets } from '../../test/authz-types'
import { buildDirectConversation } from '../../test/factories/index'

/** world.resident's conversation, in a ward with an SMS budget (else the door opens onto a 409). */
async function answerable({ db, world }: AuthzRequestContext) {
  await db
    .insert(smsSettings)
    .values({ unitId: world.ward.id, monthlyBudgetVnd: 1_000_000 })
    .onConflictDoNothing()
  return buildDirectConversation(db, {
    resident: world.users.resident,
    area: world.area,
    assignee: world.users.officer,
  })
}

/** The area's police: who works the conversation. */
const areaPolice: AuthzRole[] = ['officer', 'commander']

export const authzEntries = defineAuthz([
  {
    method: 'GET',
    route: '/api/conversations/:id/sms',
    allow: areaPolice,
    request: async (ctx) => ({ url: `/api/conversations/${(await answerable(ctx)).id}/sms` }),
  },
  {
    method: 'POST',
    route: '/api/conversations/:id/sms',
    allow: areaPolice,
    note: "spends the unit's SMS budget",
    request: async (ctx) => ({
      url: `/api/conversations/${(await answerable(ctx)).id}/sms`,
      payload: { text: 'Chào bà, công an phường đã nhận tin.', clientKey: randomUUID() },
    }),
  },
  {
    method: 'GET',
    route: '/api/units/:id/sms-settings',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({ url: `/api/units/${world.ward.id}/sms-settings` }),
  },
  {
    method: 'PUT',
    route: '/api/units/:id/sms-settings',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({
      url: `/api/units/${world.ward.id}/sms-settings`,
      payload: { monthlyBudgetVnd: 500_000, alertKinds: ['missing_person'] },
    }),
  },
  {
    method: 'GET',
    route: '/api/sms/esms/status/:sendId/:token',
    allow: [],
    note: "eSMS's delivery report: the URL's HMAC of the send's id is the credential; a session gives nothing",
    request: () => ({
      url: `/api/sms/esms/status/${randomUUID()}/${'0'.repeat(40)}`,
      query: { SMSID: 'esms-1', SendStatus: '5', SendSuccess: '1', SendFailed: '0' },
    }),
  },
  {
    method: 'GET',
    route: '/api/sms/esms/mo',
    allow: [],
    note: 'eSMS calls it with an MD5 signature made with the private key; a session gives nothing (and without SMS_MO_* it is 404)',
    request: () => ({
      url: '/api/sms/esms/mo',
      query: {
        sender: '84912345678',
        content: 'Xin chao',
        sign: '0'.repeat(32),
        cpid: 'guess',
        smsid: randomUUID(),
        receiverTime: '20260101080000',
      },
    }),
  },
])
