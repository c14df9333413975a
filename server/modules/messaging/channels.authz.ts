import { defineAuthz, roleSets } from '../../test/authz-types'
import { buildMessengerAccount } from '../../test/factories/index'

const connectForm = () => ({
  pageId: `${Date.now()}`,
  name: 'Công an phường',
  appSecret: 'authz-app-secret',
  pageAccessToken: 'authz-page-token',
  verifyToken: 'authz-verify-token',
})

/** Zalo / Messenger: the platforms call the webhooks (a signature or verify token, never a session). */
export const authzEntries = defineAuthz([
  {
    method: 'GET',
    route: '/api/channels/messenger/:accountId/webhook',
    allow: [],
    note: 'only the verify token the unit chose opens the handshake; a session gives nothing',
    request: async ({ db, app, world }) => {
      const { account } = await buildMessengerAccount(db, app.deps.config.CHANNEL_SECRET_KEY, {
        unit: world.ward,
      })
      return {
        url: `/api/channels/messenger/${account.id}/webhook`,
        query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '42' },
      }
    },
  },
  {
    method: 'POST',
    route: '/api/channels/:platform/:accountId/webhook',
    allow: [],
    note: "only a body signed with the account's app secret is accepted; a session gives nothing",
    request: async ({ db, app, world }) => {
      const { account } = await buildMessengerAccount(db, app.deps.config.CHANNEL_SECRET_KEY, {
        unit: world.ward,
      })
      return { url: `/api/channels/messenger/${account.id}/webhook`, payload: { object: 'page', entry: [] } }
    },
  },
  {
    method: 'GET',
    route: '/api/units/:id/channels',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({ url: `/api/units/${world.ward.id}/channels` }),
  },
  {
    method: 'PUT',
    route: '/api/units/:id/channels/messenger',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({
      url: `/api/units/${world.ward.id}/channels/messenger`,
      payload: connectForm(),
    }),
  },
  {
    method: 'PUT',
    route: '/api/units/:id/channels/zalo',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({
      url: `/api/units/${world.ward.id}/channels/zalo`,
      payload: {
        oaId: `${Date.now()}`,
        appId: '123456789',
        appSecret: 'authz-app-secret',
        oaSecret: 'authz-oa-secret',
        accessToken: 'authz-access-token',
        refreshToken: 'authz-refresh-token',
      },
    }),
  },
])
