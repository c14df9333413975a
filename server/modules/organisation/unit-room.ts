import type { FastifyInstance } from 'fastify'
import { organisationPolicy } from './organisation.policy'
import { unitsRepository } from './units.repository'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * `unit:<id>` rooms: the tips, alerts and assignments services publish there for the unit's staff
 * (an unassigned tip, an alert waiting for the commander). Joined under the `listenUnit` rule.
 */
export function registerUnitRoom(app: FastifyInstance): void {
  app.hub.registerRoomAuthoriser('unit', async (ctx, room) => {
    const unitId = room.slice('unit:'.length)
    if (!ctx.actor || !UUID.test(unitId)) return false
    const unit = await unitsRepository.findById(app.db, unitId)
    return !!unit && organisationPolicy.can(ctx.actor, 'listenUnit', unit)
  })
}
