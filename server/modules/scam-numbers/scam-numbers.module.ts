import type { FastifyPluginAsync } from 'fastify'
import type { AlertsDeps } from '../alerts/alerts.service'
import { scamNumbersPolicy } from './scam-numbers.policy'
import { scamNumbersRepository } from './scam-numbers.repository'
import { scamNumbersPublicRoutes } from './scam-numbers-public.routes'
import { scamReportsRoutes } from './scam-reports.routes'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Scam numbers reported by residents (issue 17.1). Takes the alerts module's deps so a warning is
 * raised through alerts' own service. `scam:<unit>` rooms carry report changes of the unit's subtree
 * to the staff who may read those reports (the REST rule, reused).
 */
export function scamNumbersModule(alerts: AlertsDeps): FastifyPluginAsync {
  return async (app) => {
    const deps = { db: app.db, bus: app.deps.bus, alerts }
    await app.register(scamReportsRoutes(deps))
    await app.register(scamNumbersPublicRoutes)

    app.hub.registerRoomAuthoriser('scam', async (ctx, room) => {
      const unitId = room.slice('scam:'.length)
      const actor = ctx.actor
      if (!actor || !UUID.test(unitId)) return false
      const unit = await scamNumbersRepository.unitPath(app.db, unitId)
      if (!unit) return false
      return scamNumbersPolicy.can(actor, 'review', {
        reporterId: '',
        areaPath: unit.path,
        status: 'pending',
      })
    })
  }
}
