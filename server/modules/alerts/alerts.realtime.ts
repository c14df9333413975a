import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { units, users } from '../../db/schema/index'
import type { Actor } from '../../lib/actor'
import { commandsPath, coversPath } from '../../lib/actor'
import type { RealtimeHub } from '../../realtime/hub'
import { loadActor } from '../auth/actor.repository'
import { alertsPolicy } from './alerts.policy'
import { alertsRepository } from './alerts.repository'
import { resourceOf } from './alerts.service'

async function actorOf(db: Db, userId: string): Promise<Actor | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId))
  if (!user || user.deletedAt) return null
  return loadActor(db, user, 'realtime')
}

/**
 * Who may listen where. `area:<id>`: a resident their own area, an officer the areas they cover,
 * a commander any area of their subtree. `alert:<id>` (reach counters, answers): the staff who
 * work the alert.
 */
export function registerAlertRooms(hub: RealtimeHub, db: Db): void {
  hub.registerRoomAuthoriser('area', async (ctx, room) => {
    if (!ctx.userId) return false
    const areaId = room.slice('area:'.length)
    const actor = await actorOf(db, ctx.userId)
    if (!actor) return false
    if (actor.kind === 'resident' && actor.areaId === areaId) return true
    const [area] = await db.select({ path: units.path }).from(units).where(eq(units.id, areaId))
    if (!area) return false
    return coversPath(actor, area.path) || commandsPath(actor, area.path)
  })

  hub.registerRoomAuthoriser('alert', async (ctx, room) => {
    if (!ctx.userId) return false
    const alertId = room.slice('alert:'.length)
    if (!/^[0-9a-f-]{36}$/.test(alertId)) return false
    const [actor, loaded] = await Promise.all([
      actorOf(db, ctx.userId),
      alertsRepository.load(db, alertId, ctx.userId),
    ])
    if (!actor || !loaded) return false
    return alertsPolicy.can(actor, 'readStaff', resourceOf(loaded, loaded.mine !== null))
  })
}
