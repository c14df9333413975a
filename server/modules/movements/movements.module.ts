import type { FastifyPluginAsync } from 'fastify'
import { loadActor } from '../auth/actor.repository'
import { unitsRepository } from '../organisation/units.repository'
import { guestListsRoutes } from './guest-lists.routes'
import { movementsPolicy } from './movements.policy'
import { movementsRoutes } from './movements.routes'
import { registerRoutes } from './register.routes'
import { registerExportRoutes } from './register-export.routes'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Movements of residents and the area register. `register:<unit>` rooms carry report changes of
 * the unit's subtree; only staff who may read that unit's register join (the REST rule, reused).
 */
export const movementsModule: FastifyPluginAsync = async (app) => {
  await app.register(movementsRoutes)
  await app.register(registerRoutes)
  await app.register(guestListsRoutes)
  await app.register(registerExportRoutes)

  app.hub.registerRoomAuthoriser('register', async (ctx, room) => {
    const unitId = room.slice('register:'.length)
    if (!ctx.userId || !UUID.test(unitId)) return false
    const { user, unit } = await unitsRepository.roomSubjects(app.db, ctx.userId, unitId)
    if (!user || user.deletedAt || !unit) return false
    return movementsPolicy.can(await loadActor(app.db, user, 'realtime'), 'readRegister', unit)
  })
}
