import { defineAuthz } from '../../test/authz-types'

export const authzEntries = defineAuthz([
  {
    method: 'POST',
    route: '/internal/backup',
    // No session opens it: only the data folder's control token, on a loopback socket.
    allow: [],
    note: 'the `nhipcau backup` command on the same machine; tested in backup.routes.test.ts',
    request: async () => ({ payload: { file: '/tmp/nhipcau-authz-never-written.tar.gz' } }),
  },
])
