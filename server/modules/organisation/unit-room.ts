import type { FastifyInstance } from 'fastify'
import { loadActor } from '../auth/actor.repository'
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
    if (!ctx.userId || !UUID.test(unitId)) return false
    const { user, unit } = await unitsRepository.roomSubjects(app.db, ctx.userId, unitId)
    if (!user || user.deletedAt || !unit) return false
    return organisationPolicy.can(await loadActor(app.db, user, 'realtime'), 'listenUnit', unit)
  })
}
