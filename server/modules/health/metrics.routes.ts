import fp from 'fastify-plugin'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { unauthenticated } from '../../lib/errors'
import { safeEqual } from '../auth/auth.crypto'
import { createMetrics } from './metrics'

/**
 * GET /metrics in Prometheus text format, for the operators' monitoring. It exists only when
 * METRICS_TOKEN is set (404 otherwise, like any unknown path) and answers only that bearer token:
 * request counts by route and the queue depths say how busy a unit is, which is not public.
 * Unencapsulated, so its response hook sees every module route registered after it.
 */
const metricsPlugin: FastifyPluginAsyncZod = async (app) => {
  const token = app.deps.config.METRICS_TOKEN
  if (!token) return
  const metrics = createMetrics({ db: app.db, hub: app.hub, push: app.push })

  // Every answered request, labelled by its route pattern (bounded), not its URL (unbounded).
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
  })

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        security: [{ metricsToken: [] }],
        response: { 200: z.string() },
      },
    },
    async (request, reply) => {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
      if (!given || !safeEqual(given, token)) throw unauthenticated()
      reply.header('cache-control', 'no-store').type(metrics.contentType)
      return metrics.render()
    },
  )
}

export const metricsRoutes = fp(metricsPlugin, { name: 'nhipcau-metrics' })
