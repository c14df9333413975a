import { defineAuthz, roleSets } from '../../test/authz-types'
import { buildChannelContact } from '../../test/factories/index'

/** Linking a Zalo / Messenger contact to a resident account by a one-time code. */
export const authzEntries = defineAuthz([
  {
    method: 'POST',
    route: '/api/me/channel-link-code',
    allow: roleSets.residents,
    note: 'a resident links their own chat; staff accounts have nothing to link',
  },
  { method: 'GET', route: '/api/me/channel-links', allow: roleSets.residents },
  {
    method: 'POST',
    route: '/api/conversations/:id/channel-link',
    allow: ['officer', 'commander'],
    note: "the contact's area officer and the commander above: a wrong code is a 400, nobody else learns the conversation exists",
    request: async ({ db, app, world }) => {
      const { conversation } = await buildChannelContact(db, app.deps.config.CHANNEL_SECRET_KEY, {
        unit: world.ward,
        area: world.area,
        assignee: world.users.officer,
      })
      return { url: `/api/conversations/${conversation.id}/channel-link`, payload: { code: 'NC-AAAAAA' } }
    },
  },
])
