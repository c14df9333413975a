import {
  ZDashboard,
  ZDashboardQuery,
  ZDashboardRecords,
  ZDashboardUnits,
  ZRecordsQuery,
} from '@common/schemas/dashboard'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { requireActor } from '../auth/auth.guard'
import { dashboardService, periodFrom } from './dashboard.service'
import { targetMinutes } from './dashboard-interactions.repository'
import { presentRecords } from './dashboard-records.presenter'
import { listRecords } from './dashboard-records.repository'

/** The month in review (S8): a commander's figures for a period, and the records behind each figure. */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/dashboard/units',
    { schema: { tags: ['dashboard'], response: { 200: ZDashboardUnits } } },
    async (request) => {
      const units = await dashboardService.viewableUnits(app.db, requireActor(request))
      return units.map((u) => ({ id: u.id, name: u.name, level: u.level }))
    },
  )

  app.get(
    '/api/dashboard',
    { schema: { tags: ['dashboard'], querystring: ZDashboardQuery, response: { 200: ZDashboard } } },
    async (request) => {
      const actor = requireActor(request)
      const period = periodFrom(request.query)
      const unit = await dashboardService.unitFor(app.db, actor, request.query.unitId)
      return dashboardService.figures(app.db, unit, period)
    },
  )

  app.get(
    '/api/dashboard/records',
    { schema: { tags: ['dashboard'], querystring: ZRecordsQuery, response: { 200: ZDashboardRecords } } },
    async (request) => {
      const actor = requireActor(request)
      const period = periodFrom(request.query)
      const unit = await dashboardService.unitFor(app.db, actor, request.query.unitId)
      const viewed = { id: unit.id, path: unit.path }
      const target = await targetMinutes(app.db, viewed)
      return presentRecords(
        await listRecords(app.db, viewed, period, request.query, { now: new Date(), target }),
      )
    },
  )
}
