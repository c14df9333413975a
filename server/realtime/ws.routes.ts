import type { FastifyPluginAsync } from 'fastify'

/**
 * The one WebSocket endpoint. The identity module's hook (when present) sets request.userId
 * from the session cookie before the upgrade; rooms are then joined through the hub's authorisers.
 */
export const realtimeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket, request) => {
    const userId = request.userId ?? null
    const ctx = app.hub.attach(socket, userId)
    if (userId) app.hub.join(ctx.connectionId, `user:${userId}`)
  })
}
