import { commandsPath, coversPath } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

/**
 * Residents' personal data: the officers answering for their area and the commanders above it.
 * Administrators see aggregates only; moderators see display names elsewhere, never this.
 */
const staffOf = (actor: Parameters<typeof coversPath>[0], path: string) =>
  actor?.kind === 'staff' && (coversPath(actor, path) || commandsPath(actor, path))

export const residentsPolicy = definePolicy({
  listInArea: (actor, area: { path: string }) => staffOf(actor, area.path),
  read: (actor, resident: { areaPath: string | null }) =>
    !!resident.areaPath && staffOf(actor, resident.areaPath),
})
