import type { FastifyPluginAsync } from 'fastify'
import { pushRoutes } from './push.routes'

/** Web Push subscriptions. The notifier itself is `app.push` (server/app.ts), shared by every module. */
export const notificationsModule: FastifyPluginAsync = async (app) => {
  await app.register(pushRoutes)
}
