import { signInAs } from '../../test/auth-helpers'
import { defineAuthz, roleSets } from '../../test/authz-types'

export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/me', allow: roleSets.signedIn },
  {
    method: 'PATCH',
    route: '/api/me',
    allow: roleSets.signedIn,
    request: () => ({ payload: { largeText: true } }),
  },
  {
    method: 'DELETE',
    route: '/api/me',
    allow: roleSets.residents,
    freshWorld: true,
    note: 'staff accounts are closed by an administrator, not by their owner',
  },
  { method: 'GET', route: '/api/me/export', allow: roleSets.signedIn },
  { method: 'GET', route: '/api/me/deletion-preview', allow: roleSets.residents },
  { method: 'GET', route: '/api/me/area', allow: roleSets.signedIn },
  { method: 'GET', route: '/api/me/sessions', allow: roleSets.signedIn },
  { method: 'DELETE', route: '/api/me/sessions', allow: roleSets.signedIn, freshWorld: true },
  {
    method: 'PUT',
    route: '/api/me/password',
    allow: roleSets.staff,
    note: 'residents have no password; a wrong current password is a 400 (the door opened)',
    request: () => ({
      payload: { currentPassword: 'not-the-password', newPassword: 'Một câu dài của riêng tôi 7' },
    }),
  },
  {
    method: 'DELETE',
    route: '/api/me/sessions/:id',
    allow: roleSets.signedIn,
    note: 'each role revokes a second session of their own',
    request: async ({ app, world, role }) => {
      const owner = role === 'anonymous' ? world.users.resident : world.users[role]
      const other = await signInAs(app, owner)
      return { url: `/api/me/sessions/${other.sessionId}` }
    },
  },
])
