import { type AuthzRequestContext, defineAuthz, roleSets } from '../../test/authz-types'
import {
  buildChannelContact,
  buildDirectConversation,
  buildMessage,
  buildMessengerAccount,
} from '../../test/factories/index'

/** The area officer's reply to world.resident that Messenger did not take. */
async function failedReply({ db, world }: AuthzRequestContext) {
  const c = await buildDirectConversation(db, {
    resident: world.users.resident,
    area: world.area,
    assignee: world.users.officer,
  })
  return buildMessage(db, {
    conversation: c,
    author: world.users.officer,
    body: 'Trả lời',
    delivery: { channel: 'messenger', status: 'failed', errorKey: 'channels.error.temporary', attempts: 6 },
  })
}

/** A Zalo contact who has not said where they live: their conversation waits in the ward's queue. */
async function queuedContact({ db, app, world }: AuthzRequestContext) {
  const { conversation } = await buildChannelContact(db, app.deps.config.CHANNEL_SECRET_KEY, {
    area: null,
    unit: world.ward,
  })
  return `/api/conversations/${conversation.id}/contact-area`
}

/** The staff console's channel settings: connect with Zalo, disconnect. */
export const authzEntries = defineAuthz([
  {
    method: 'POST',
    route: '/api/units/:id/channels/zalo/oauth',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({
      url: `/api/units/${world.ward.id}/channels/zalo/oauth`,
      payload: { appId: '123456789', appSecret: 'authz-app-secret', oaSecret: 'authz-oa-secret' },
    }),
  },
  {
    method: 'GET',
    route: '/api/channels/zalo/oauth/callback',
    allow: [],
    note: 'only the browser that started the flow (its sealed cookie, same person, same state) may finish it',
    request: () => ({
      url: '/api/channels/zalo/oauth/callback',
      query: { code: 'x', oa_id: '1', state: 'guess' },
    }),
  },
  {
    method: 'DELETE',
    route: '/api/units/:id/channels/:accountId',
    allow: roleSets.homeManagers,
    request: async ({ db, app, world }) => {
      const { account } = await buildMessengerAccount(db, app.deps.config.CHANNEL_SECRET_KEY, {
        unit: world.ward,
      })
      return { url: `/api/units/${world.ward.id}/channels/${account.id}` }
    },
  },
  {
    method: 'POST',
    route: '/api/messages/:id/delivery/retry',
    allow: ['officer', 'commander'],
    note: "the area's police, who may work the conversation",
    request: async (ctx) => ({ url: `/api/messages/${(await failedReply(ctx)).id}/delivery/retry` }),
  },
  {
    method: 'GET',
    route: '/api/conversations/:id/contact-area',
    allow: ['commander'],
    note: "the ward's queue: the commanders who work it (an area officer does not see it)",
    request: async (ctx) => ({ url: await queuedContact(ctx) }),
  },
  {
    method: 'PUT',
    route: '/api/conversations/:id/contact-area',
    allow: ['commander'],
    note: "the ward's queue: the commanders who work it (an area officer does not see it)",
    request: async (ctx) => ({ url: await queuedContact(ctx), payload: { areaId: ctx.world.area.id } }),
  },
])
