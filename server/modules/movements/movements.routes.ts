import {
  ZAreaCounts,
  ZCapabilities,
  ZCreateReportRequest,
  ZQueueQuery,
  ZReportList,
  ZReportSubmitted,
  ZReportView,
  ZReviewRequest,
} from '@common/schemas/movements'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { scopeOf } from '../../lib/scope'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { vnInstant, vnWeekStart } from './deadlines'
import { movementsPolicy } from './movements.policy'
import { presentReport } from './movements.presenter'
import { movementsRepository } from './movements.repository'
import { type MovementsDeps, movementsService } from './movements.service'

const ZParams = z.object({ id: z.uuid() })

/** Residents' reports (stay, tenant, absence, guest) and the officer's verification queue. */
export const movementsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps: MovementsDeps = { db: app.db, bus: app.deps.bus }

  app.get(
    '/api/movements/capabilities',
    { schema: { tags: ['movements'], response: { 200: ZCapabilities } } },
    async (request) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'listOwn')
      const caps = await movementsRepository.capacities(app.db, actor.userId)
      const [landlordAreas, businessAreas] = await Promise.all([
        movementsRepository.areasUnder(app.db, caps.landlordPaths),
        movementsRepository.areasUnder(app.db, caps.businessPaths),
      ])
      const strip = (a: { id: string; name: string }) => ({ id: a.id, name: a.name })
      return {
        household: caps.home
          ? { areaId: caps.home.areaId, areaName: caps.home.areaName, address: caps.home.address }
          : null,
        landlordAreas: landlordAreas.map(strip),
        businessAreas: businessAreas.map(strip),
      }
    },
  )

  app.post(
    '/api/movements/reports',
    {
      schema: {
        tags: ['movements'],
        body: ZCreateReportRequest,
        response: { 200: ZReportSubmitted, 201: ZReportSubmitted },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'listOwn')
      const { report, created } = await movementsService.submit(deps, actor, request.body)
      const row = (await movementsRepository.get(app.db, report.id))!
      return reply.status(created ? 201 : 200).send({ report: presentReport(row, actor), created })
    },
  )

  app.get(
    '/api/movements/reports/mine',
    { schema: { tags: ['movements'], response: { 200: ZReportList } } },
    async (request) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'listOwn')
      const rows = await movementsRepository.listMine(app.db, actor.userId)
      return { items: rows.map((r) => presentReport(r, actor)) }
    },
  )

  app.get(
    '/api/movements/queue',
    { schema: { tags: ['movements'], querystring: ZQueueQuery, response: { 200: ZReportList } } },
    async (request) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'queue')
      const rows = await movementsRepository.listQueue(app.db, scopeOf(actor), request.query)
      const conflicts = await movementsRepository.conflicts(
        app.db,
        rows.map((r) => r.report.id),
      )
      // Names and ID numbers leave here: the read is on record.
      await audit.record(app.db, auditContext(request), {
        action: 'residence_report.list',
        entityType: 'residence_report',
        details: {
          count: rows.length,
          status: request.query.status,
          subjectUserIds: [...new Set(rows.map((r) => r.report.reporterId))],
        },
      })
      const now = new Date()
      return { items: rows.map((r) => presentReport(r, actor, { conflicts, now })) }
    },
  )

  app.get(
    '/api/movements/area-counts',
    {
      schema: {
        tags: ['movements'],
        summary: 'Per area of my unit (or my areas): reports this week, pending, overdue',
        response: { 200: ZAreaCounts },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'queue')
      const now = new Date()
      const weekStart = vnWeekStart(now)
      const rows = await movementsRepository.countsByArea(app.db, scopeOf(actor), vnInstant(weekStart), now)
      const sum = (k: 'reportsThisWeek' | 'pending' | 'overdue' | 'awaitingCorrection') =>
        rows.reduce((n, r) => n + r[k], 0)
      return {
        weekStart,
        items: rows.map(({ id, name, ...counts }) => ({ area: { id, name }, ...counts })),
        totals: {
          reportsThisWeek: sum('reportsThisWeek'),
          pending: sum('pending'),
          overdue: sum('overdue'),
          awaitingCorrection: sum('awaitingCorrection'),
        },
      }
    },
  )

  app.get(
    '/api/movements/reports/:id',
    { schema: { tags: ['movements'], params: ZParams, response: { 200: ZReportView } } },
    async (request) => {
      const actor = requireActor(request)
      const row = await movementsService.getReadable(app.db, actor, request.params.id)
      if (row.report.reporterId === actor.userId) return presentReport(row, actor)
      await audit.record(app.db, auditContext(request), {
        action: 'residence_report.read',
        entityType: 'residence_report',
        entityId: row.report.id,
        unitId: row.report.areaId,
        unitPath: row.report.areaPath,
        details: { subjectUserIds: [row.report.reporterId] },
      })
      const conflicts = await movementsRepository.conflicts(app.db, [row.report.id])
      return presentReport(row, actor, { conflicts })
    },
  )

  app.put(
    '/api/movements/reports/:id',
    {
      schema: {
        tags: ['movements'],
        params: ZParams,
        body: ZCreateReportRequest,
        response: { 200: ZReportView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const updated = await movementsService.correct(deps, actor, request.params.id, request.body)
      return presentReport((await movementsRepository.get(app.db, updated.id))!, actor)
    },
  )

  app.post(
    '/api/movements/reports/:id/review',
    {
      schema: { tags: ['movements'], params: ZParams, body: ZReviewRequest, response: { 200: ZReportView } },
    },
    async (request) => {
      const actor = requireActor(request)
      const updated = await movementsService.review(
        deps,
        actor,
        auditContext(request),
        request.params.id,
        request.body,
      )
      const conflicts = await movementsRepository.conflicts(app.db, [updated.id])
      return presentReport((await movementsRepository.get(app.db, updated.id))!, actor, { conflicts })
    },
  )
}
