import type { FastifyPluginAsync } from 'fastify'
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
    if (!ctx.actor || !UUID.test(unitId)) return false
    const unit = await unitsRepository.findById(app.db, unitId)
    return !!unit && movementsPolicy.can(ctx.actor, 'readRegister', unit)
  })
}
