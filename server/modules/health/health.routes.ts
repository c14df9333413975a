import { ZSystemHealth } from '@common/schemas/health'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { getMigrationStatus } from '../../db/migrate'
import { requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { healthPolicy } from './health.policy'
import { presentSystemHealth } from './health.presenter'
import { databaseAnswers } from './health.repository'
import { systemHealth } from './system-health.service'

const ZReady = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.object({ kind: z.enum(['pglite', 'postgres']), reachable: z.boolean() }),
  migrations: z.object({ applied: z.number().int(), expected: z.number().int(), current: z.boolean() }),
  /** `local`: one instance without Redis; `shared`: Redis carries events; `degraded`: Redis is away. */
  realtime: z.enum(['local', 'shared', 'degraded']),
})

/** Liveness and readiness for load balancers and `npm start`'s own check. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        ...publicOperation,
        tags: ['health'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    { schema: { ...publicOperation, tags: ['health'], response: { 200: ZReady, 503: ZReady } } },
    async (_req, reply) => {
      const reachable = await databaseAnswers(app.db)
      const migrations = reachable
        ? await getMigrationStatus(app.db)
        : { applied: 0, expected: 0, current: false }
      const realtime = app.deps.bus.state()
      // Redis away: the instance still serves its own clients, but says so, as the issue asks.
      const ready = reachable && migrations.current && realtime !== 'degraded'
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        database: { kind: app.deps.database.kind, reachable },
        migrations,
        realtime,
      })
    },
  )

  app.get(
    '/api/admin/health',
    { schema: { tags: ['admin'], response: { 200: ZSystemHealth } } },
    async (request, reply) => {
      healthPolicy.authorize(requireActor(request), 'readSystem')
      reply.header('cache-control', 'no-store')
      return presentSystemHealth(await systemHealth(app.deps))
    },
  )
}
