import type { FastifyPluginAsync } from 'fastify'
import { AlertDelivery } from './alert-delivery'
import { registerAlertRooms } from './alerts.realtime'
import { alertsRoutes } from './alerts.routes'
import type { AlertsDeps } from './alerts.service'
import { alertsPublicRoutes } from './alerts-public.routes'
import { alertsStaffRoutes } from './alerts-staff.routes'

/**
 * The alerts module: routes, the `area:` and `alert:` room rules, and the delivery jobs
 * (Web Push in batches, posts into the groups in scope).
 */
export const alertsModule: FastifyPluginAsync = async (app) => {
  const { config, jobs, bus, storage } = app.deps
  const notifier = app.push
  const delivery = new AlertDelivery({ db: app.db, bus, jobs, config, notifier, log: app.log })
  delivery.registerJobs()
  const deps: AlertsDeps = { db: app.db, bus, jobs, config, storage, delivery }
  registerAlertRooms(app.hub, app.db)
  await app.register(alertsStaffRoutes(deps))
  await app.register(alertsRoutes(deps))
  await app.register(alertsPublicRoutes(deps))
}
