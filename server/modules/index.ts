import type { FastifyPluginAsync } from 'fastify'
import { realtimeRoutes } from '../realtime/ws.routes'
import { healthRoutes } from './health/health.routes'

/** Every module's routes. A new module adds one line here (and its routes to the authorisation matrix). */
export const registerModules: FastifyPluginAsync = async (app) => {
  await app.register(healthRoutes)
  await app.register(realtimeRoutes)
}
