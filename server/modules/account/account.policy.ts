import { definePolicy } from '../../lib/policy'

/** The signed-in user's own account. Staff accounts are managed by administrators, not deleted by their owner. */
export const accountPolicy = definePolicy({
  read: (actor) => !!actor,
  update: (actor) => !!actor,
  /** Only residents live in an area; staff answer for areas through assignments. */
  chooseArea: (actor) => actor?.kind === 'resident',
  export: (actor) => !!actor,
  delete: (actor) => actor?.kind === 'resident',
  manageSessions: (actor) => !!actor,
  /** Residents sign in with a code sent to their phone; only staff have a password. */
  changePassword: (actor) => actor?.kind === 'staff',
})
