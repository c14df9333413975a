import type { FastifyPluginAsync } from 'fastify'
import { dashboardReportRoutes, dashboardRoutes } from './dashboard.routes'
import { registerDashboardRollupJobs } from './dashboard-rollups.job'

/** The month in review: the figures, the lists behind them, the report, and the roll-up job. */
export const dashboardModule: FastifyPluginAsync = async (app) => {
  registerDashboardRollupJobs(app.db, app.deps.jobs)
  await app.register(dashboardRoutes)
  await app.register(dashboardReportRoutes)
}
