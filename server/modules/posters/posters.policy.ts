import { commandsPath, coversPath, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

/** Commanders print for their subtree; an officer prints the posters of the areas they cover. */
export const postersPolicy = definePolicy({
  printUnit: (actor, unit: { path: string }) => isAdmin(actor) || commandsPath(actor, unit.path),
  printArea: (actor, area: { path: string }) =>
    isAdmin(actor) || commandsPath(actor, area.path) || coversPath(actor, area.path),
  readScans: (actor, unit: { path: string }) => isAdmin(actor) || commandsPath(actor, unit.path),
})
