import type { FastifyPluginAsync } from 'fastify'

/**
 * The one WebSocket endpoint. The identity module's hook (when present) sets request.actor from
 * the session cookie before the upgrade; the connection keeps the user and the session, so that
 * sign-out, revocation and account deletion close it on every instance. Rooms are then joined
 * through the hub's authorisers.
 */
export const realtimeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket, request) => {
    const actor = request.actor
    const ctx = app.hub.attach(socket, actor ? { userId: actor.userId, sessionId: actor.sessionId } : null)
    if (actor) app.hub.join(ctx.connectionId, `user:${actor.userId}`)
  })
}
