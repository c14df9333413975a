import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { AlertApprovalPush } from './alert-approval-push'
import { AlertDelivery } from './alert-delivery'
import { alertLifecycleService } from './alert-lifecycle.service'
import { ReceiptBatcher } from './alert-receipts.batcher'
import { registerAlertRooms } from './alerts.realtime'
import { alertsRoutes } from './alerts.routes'
import type { AlertsDeps } from './alerts.service'
import { alertsPublicRoutes } from './alerts-public.routes'
import { alertsStaffRoutes } from './alerts-staff.routes'

/**
 * The alerts service's dependencies with its delivery jobs registered, made once per app: other
 * modules that raise alerts (scam numbers) get the same deps, so alerts' rules apply once.
 */
export function createAlertsDeps(app: FastifyInstance): AlertsDeps {
  const { config, jobs, bus, storage } = app.deps
  const notifier = app.push
  const delivery = new AlertDelivery({ db: app.db, bus, jobs, config, notifier, log: app.log })
  delivery.registerJobs()
  const approvalPush = new AlertApprovalPush(app.db, jobs, notifier)
  approvalPush.registerJobs()
  return {
    db: app.db,
    bus,
    jobs,
    config,
    storage,
    delivery,
    approvalPush,
    receipts: new ReceiptBatcher(app.db),
  }
}

/**
 * The alerts module: routes, the `area:` and `alert:` room rules, and the delivery jobs
 * (Web Push in batches, posts into the groups in scope).
 */
export function alertsModule(deps: AlertsDeps): FastifyPluginAsync {
  return async (app) => {
    registerAlertRooms(app.hub, app.db)
    app.hub.registerMessageHandler('alert_receipts', async (ctx, message) => {
      await alertLifecycleService.receipts(deps, ctx.actor, message.receipts)
    })
    await app.register(alertsStaffRoutes(deps))
    await app.register(alertsRoutes(deps))
    await app.register(alertsPublicRoutes(deps))
  }
}
