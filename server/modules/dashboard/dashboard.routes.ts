import {
  ZDashboard,
  ZDashboardQuery,
  ZDashboardRecords,
  ZDashboardUnits,
  ZRecordsQuery,
} from '@common/schemas/dashboard'
import { slugify } from '@common/text/fold'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { dashboardPolicy } from './dashboard.policy'
import { dashboardService, periodFrom } from './dashboard.service'
import { presentRecords } from './dashboard-records.presenter'
import { reportTableKeys, reportTables, toCsv } from './dashboard-report.tables'

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
      // Only a viewer who may open the lists is given their links (administrators see the figures).
      const lists = dashboardPolicy.can(actor, 'listRecords', unit)
      return dashboardService.figures(app.db, unit, period, { lists })
    },
  )

  app.get(
    '/api/dashboard/records',
    { schema: { tags: ['dashboard'], querystring: ZRecordsQuery, response: { 200: ZDashboardRecords } } },
    async (request) => {
      const actor = requireActor(request)
      const period = periodFrom(request.query)
      const unit = await dashboardService.unitFor(app.db, actor, request.query.unitId, 'listRecords')
      return presentRecords(
        await dashboardService.records(app.db, auditContext(request), unit, period, request.query),
      )
    },
  )
}

/** The monthly report: the same figures as a printable A4 PDF and each table as CSV. */
export const dashboardReportRoutes: FastifyPluginAsyncZod = async (app) => {
  const ZReportQuery = ZDashboardQuery.extend({ lang: z.enum(['vi', 'en']).optional() })
  const figuresFor = async (
    request: { query: z.infer<typeof ZReportQuery> } & Parameters<typeof requireActor>[0],
  ) => {
    const actor = requireActor(request)
    const period = periodFrom(request.query)
    const unit = await dashboardService.unitFor(app.db, actor, request.query.unitId)
    return dashboardService.figures(app.db, unit, period)
  }
  const fileName = (d: { unit: { name: string }; period: { from: string; to: string } }, ext: string) =>
    `bao-cao-${slugify(d.unit.name)}-${d.period.from}-${d.period.to}.${ext}`

  app.get(
    '/api/dashboard/report.pdf',
    { schema: { tags: ['dashboard'], querystring: ZReportQuery } },
    async (request, reply) => {
      const figures = await figuresFor(request)
      // pdfkit and its fonts load on the first report, not at every start (issue 16: restarts).
      const { renderReportPdf } = await import('./dashboard-report.pdf')
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${fileName(figures, 'pdf')}"`)
        .send(renderReportPdf(figures, request.query.lang ?? 'vi'))
    },
  )

  app.get(
    '/api/dashboard/report/:table',
    {
      schema: {
        tags: ['dashboard'],
        params: z.object({ table: z.enum(reportTableKeys.map((k) => `${k}.csv`) as [string, ...string[]]) }),
        querystring: ZReportQuery,
      },
    },
    async (request, reply) => {
      const figures = await figuresFor(request)
      const key = request.params.table.replace(/\.csv$/, '')
      const table = reportTables(figures, request.query.lang ?? request.locale).find((x) => x.key === key)!
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(figures, `${key}.csv`)}"`)
        .send(toCsv(table))
    },
  )
}
