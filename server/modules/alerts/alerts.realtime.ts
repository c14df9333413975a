import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { units } from '../../db/schema/index'
import { commandsPath, coversPath } from '../../lib/actor'
import type { RealtimeHub } from '../../realtime/hub'
import { alertsPolicy } from './alerts.policy'
import { alertsRepository } from './alerts.repository'
import { resourceOf } from './alerts.service'

/**
 * Who may listen where. `area:<id>`: a resident their own area, an officer the areas they cover,
 * a commander any area of their subtree. `alert:<id>` (reach counters, answers): the staff who
 * work the alert.
 */
export function registerAlertRooms(hub: RealtimeHub, db: Db): void {
  hub.registerRoomAuthoriser('area', async (ctx, room) => {
    const areaId = room.slice('area:'.length)
    const actor = ctx.actor
    if (!actor) return false
    if (actor.kind === 'resident' && actor.areaId === areaId) return true
    const [area] = await db.select({ path: units.path }).from(units).where(eq(units.id, areaId))
    if (!area) return false
    return coversPath(actor, area.path) || commandsPath(actor, area.path)
  })

  hub.registerRoomAuthoriser('alert', async (ctx, room) => {
    const actor = ctx.actor
    const alertId = room.slice('alert:'.length)
    if (!actor || !/^[0-9a-f-]{36}$/.test(alertId)) return false
    const loaded = await alertsRepository.load(db, alertId, actor.userId)
    if (!loaded) return false
    return alertsPolicy.can(actor, 'readStaff', resourceOf(loaded, loaded.mine !== null))
  })
}
