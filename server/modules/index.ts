import type { FastifyPluginAsync } from 'fastify'
import { realtimeRoutes } from '../realtime/ws.routes'
import { accountRoutes } from './account/account.routes'
import { alertsModule, createAlertsDeps } from './alerts/alerts.module'
import { auditRoutes } from './audit/audit.routes'
import { authPlugin } from './auth/auth.plugin'
import { authRoutes } from './auth/auth.routes'
import { backupRoutes } from './backup/backup.routes'
import { dashboardModule } from './dashboard/dashboard.module'
import { healthRoutes } from './health/health.routes'
import { metricsRoutes } from './health/metrics.routes'
import { idempotencyPlugin } from './idempotency/idempotency.plugin'
import { messagingRoutes } from './messaging/messaging.routes'
import { movementsModule } from './movements/movements.module'
import { notificationsModule } from './notifications/notifications.module'
import { officerPhotosRoutes } from './officer-photos/officer-photos.routes'
import { open311Routes } from './open311/open311.routes'
import { directoryRoutes } from './organisation/directory.routes'
import { organisationRoutes } from './organisation/organisation.routes'
import { unitTreeRoutes } from './organisation/unit-tree.routes'
import { postersRoutes } from './posters/posters.routes'
import { proceduresRoutes } from './procedures/procedures.routes'
import { residentsRoutes } from './residents/residents.routes'
import { retentionModule } from './retention/retention.routes'
import { scamNumbersModule } from './scam-numbers/scam-numbers.module'
import { smsModule } from './sms/sms.module'
import { tipsModule } from './tips/tips.plugin'

/** Every module's routes. A new module adds one line here (and its routes to the authorisation matrix). */
export const registerModules: FastifyPluginAsync = async (app) => {
  // First: resolves request.actor and checks CSRF for every route registered after it.
  await app.register(authPlugin)
  // Then: signed-in POSTs with an Idempotency-Key header are answered once (a retry replays it).
  await app.register(idempotencyPlugin)
  // Then: request counts and times for GET /metrics (only when METRICS_TOKEN is set).
  await app.register(metricsRoutes)
  await app.register(healthRoutes)
  await app.register(backupRoutes)
  await app.register(realtimeRoutes)
  await app.register(authRoutes)
  await app.register(accountRoutes)
  await app.register(auditRoutes)
  await app.register(residentsRoutes)
  await app.register(notificationsModule)
  await app.register(postersRoutes)
  await app.register(messagingRoutes)
  await app.register(organisationRoutes)
  await app.register(unitTreeRoutes)
  await app.register(directoryRoutes)
  await app.register(officerPhotosRoutes)
  const alerts = createAlertsDeps(app)
  await app.register(alertsModule(alerts))
  await app.register(tipsModule)
  await app.register(movementsModule)
  await app.register(open311Routes)
  await app.register(proceduresRoutes)
  await app.register(dashboardModule)
  await app.register(retentionModule)
  await app.register(scamNumbersModule(alerts))
  await app.register(smsModule)
}
