import type { FastifyPluginAsync } from 'fastify'
import { createMessagesSmsProvider } from '../auth/sms/sms-provider'
import { MessagingEvents } from '../messaging/messaging.events'
import { smsRoutes } from './sms.routes'
import { smsAlerts } from './sms-alerts.service'
import { statusCallbackUrl } from './sms-delivery-report.service'
import { smsInbound } from './sms-inbound.service'
import { type SmsDeps, smsLedger } from './sms-ledger.service'

/**
 * SMS for residents without a smartphone: officers' answers, alerts of the kinds a unit chooses,
 * residents' replies. Every SMS goes through the ledger (budget, one row per SMS) and the job queue.
 */
export const smsModule: FastifyPluginAsync = async (app) => {
  const { config, jobs, bus } = app.deps
  const deps: SmsDeps = {
    db: app.db,
    jobs,
    provider: createMessagesSmsProvider(config),
    priceVnd: config.SMS_PRICE_VND,
    messaging: { db: app.db, events: new MessagingEvents(app.db, bus), push: app.push },
    log: app.log,
    statusCallbackUrl: statusCallbackUrl(config.PUBLIC_URL, config.SESSION_SECRET),
  }
  smsLedger.registerJobs(deps)
  smsAlerts.registerJobs(deps)
  smsInbound.registerJobs(deps)
  await app.register(smsRoutes, { deps })
}
