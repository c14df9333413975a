import { ZRetentionStatus, ZUnitStorage } from '@common/schemas/retention'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { scopeOf } from '../../lib/scope'
import { requireActor } from '../auth/auth.guard'
import { listUnitStorage } from '../tips/upload-quota'
import { registerRetentionJobs } from './retention.job'
import { retentionPolicy } from './retention.policy'
import { presentRetentionStatus, presentUnitStorage } from './retention.presenter'
import { retentionStatus } from './retention.service'

/** Retention (roles-and-data.md): the daily job, and the administrators' view of its runs. */
export const retentionModule: FastifyPluginAsyncZod = async (app) => {
  registerRetentionJobs(app.deps.jobs, { db: app.db, storage: app.deps.storage })
  app.get(
    '/api/admin/retention',
    { schema: { tags: ['admin'], response: { 200: ZRetentionStatus } } },
    async (request) => {
      const actor = requireActor(request)
      retentionPolicy.authorize(actor, 'read')
      return presentRetentionStatus(await retentionStatus(app.db))
    },
  )

  /** Tip files per unit against UNIT_STORAGE_QUOTA_MB: the warning a unit's administrators see (F9). */
  app.get(
    '/api/admin/storage',
    { schema: { tags: ['admin'], response: { 200: ZUnitStorage } } },
    async (request) => {
      const actor = requireActor(request)
      retentionPolicy.authorize(actor, 'readStorage')
      const scope = scopeOf(actor)
      const items = await listUnitStorage(app.db, app.deps.config, (unit) =>
        retentionPolicy.scopes.readUnitStorage(scope, unit),
      )
      return presentUnitStorage(items, app.deps.config.UNIT_STORAGE_WARN_PERCENT)
    },
  )
}
