import { type Actor, commandsPath, hasRole, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

interface OnPath {
  path: string
}

/** An officer reads the unit their officer grant covers (their ward and its areas), nothing beside it. */
const officerOfPath = (actor: Actor | null, path: string) =>
  !!actor?.grants.some((g) => g.role === 'officer' && g.unitPath !== null && path.startsWith(g.unitPath))

/**
 * Units, areas and assignments. Administrators manage everything; commanders their subtree;
 * officers read their own unit (colleagues, areas, who covers what) and change nothing.
 */
export const organisationPolicy = definePolicy({
  /** The staff unit list: any staff role. */
  listUnits: (actor) => isAdmin(actor) || hasRole(actor, 'commander') || hasRole(actor, 'officer'),
  readUnit: (actor, unit: OnPath) =>
    isAdmin(actor) || commandsPath(actor, unit.path) || officerOfPath(actor, unit.path),
  manageUnit: (actor, unit: OnPath) => isAdmin(actor) || commandsPath(actor, unit.path),
  configureLevels: (actor) => isAdmin(actor),
})
