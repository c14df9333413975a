import { defineAuthz } from '../../test/authz-types'

export const authzEntries = defineAuthz([{ method: 'GET', route: '/api/admin/health', allow: ['admin'] }])
