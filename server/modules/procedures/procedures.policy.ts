import { commandsPath, hasRole, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

const isStaff = (actor: { kind: string } | null) => actor?.kind === 'staff'

/**
 * The catalogue is public; staff see review state and history. The catalogue is shared by every
 * unit, so editing it is for commanders and administrators; a unit's local notes are for the
 * commanders of that unit (or of a unit above it) and administrators.
 */
export const proceduresPolicy = definePolicy({
  read: () => true,
  search: () => true,
  readStaffView: (actor) => isStaff(actor),
  readVersions: (actor) => isStaff(actor),
  update: (actor) => isAdmin(actor) || hasRole(actor, 'commander'),
  editUnitNotes: (actor, unit: { path: string }) => isAdmin(actor) || commandsPath(actor, unit.path),
})
