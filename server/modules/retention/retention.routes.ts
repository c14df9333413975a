import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requireActor } from '../auth/auth.guard'
import { registerRetentionJobs } from './retention.job'
import { retentionPolicy } from './retention.policy'
import { retentionStatus } from './retention.service'

const ZRetentionStatus = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      period: z.string(),
      lastRunAt: z.string().nullable(),
      removed: z.number().int().nullable(),
      details: z.record(z.string(), z.number()),
    }),
  ),
})

/** Retention (roles-and-data.md): the daily job, and the administrators' view of its runs. */
export const retentionModule: FastifyPluginAsyncZod = async (app) => {
  registerRetentionJobs(app.deps.jobs, { db: app.db, storage: app.deps.storage })
  app.get(
    '/api/admin/retention',
    { schema: { tags: ['admin'], response: { 200: ZRetentionStatus } } },
    async (request) => {
      const actor = requireActor(request)
      retentionPolicy.authorize(actor, 'read')
      return { items: await retentionStatus(app.db) }
    },
  )
}
