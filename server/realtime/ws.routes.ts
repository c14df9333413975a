import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'

/**
 * The one WebSocket endpoint. The identity module's hook (when present) sets request.actor from
 * the session cookie before the upgrade; the connection keeps the user and the session, so that
 * sign-out, revocation and account deletion close it on every instance. Rooms are then joined
 * through the hub's authorisers.
 */
export const realtimeRoutes: FastifyPluginAsync = async (app) => {
  // No security headers: the upgrade's answer is ws's own 101, which never carries them, and
  // @fastify/helmet builds its middleware again for every request (60 µs: 0.3 s of CPU for the
  // 5,000 upgrades of a restart's reconnect storm).
  app.get('/ws', { websocket: true, helmet: false, schema: { hide: true } }, (socket, request) => {
    releaseUpgradeRequest(socket, request)
    const actor = request.actor
    const ctx = app.hub.attach(socket, actor, request.sessionCheckedAt)
    if (ctx && actor) app.hub.join(ctx.connectionId, `user:${actor.userId}`)
  })
}

/**
 * Memory per connection: once upgraded, nothing reads the HTTP request or response again, but
 * @fastify/websocket's error listener (it closes over both) and the TCP socket's link to the
 * response keep them, their headers and their child logger, for the life of the socket. The hub
 * listens for errors itself (a socket in error is dropped, and ws closes it).
 */
function releaseUpgradeRequest(socket: WebSocket, request: FastifyRequest): void {
  socket.removeAllListeners('error')
  const tcp = request.raw.socket as (Socket & { _httpMessage?: ServerResponse | null }) | null
  tcp?._httpMessage?.detachSocket(tcp)
}
