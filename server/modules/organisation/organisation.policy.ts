import { commandsPath, hasRole, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import { officerOverPath } from '../../lib/scope'

interface OnPath {
  path: string
}

/**
 * Units, areas and assignments. Administrators manage everything; commanders their subtree;
 * officers read their own unit (colleagues, areas, who covers what) and change nothing.
 */
export const organisationPolicy = definePolicy({
  /** The staff unit list: any staff role. */
  listUnits: (actor) => isAdmin(actor) || hasRole(actor, 'commander') || hasRole(actor, 'officer'),
  readUnit: (actor, unit: OnPath) =>
    isAdmin(actor) || commandsPath(actor, unit.path) || officerOverPath(actor, unit.path),
  manageUnit: (actor, unit: OnPath) => isAdmin(actor) || commandsPath(actor, unit.path),
  /**
   * The unit's live events (`unit:<id>`: tips nobody is assigned yet, alerts waiting for approval,
   * officer changes): those who work the unit, its commanders and officers. Not administrators.
   */
  listenUnit: (actor, unit: OnPath) => commandsPath(actor, unit.path) || officerOverPath(actor, unit.path),
  configureLevels: (actor) => isAdmin(actor),
  /** Importing or exporting the whole unit tree as a file (as the CLI does): administrators only. */
  transferUnitTree: (actor) => isAdmin(actor),
})
