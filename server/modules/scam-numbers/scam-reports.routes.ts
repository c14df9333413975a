import {
  ZCreateScamReportRequest,
  ZMyScamReports,
  ZRaiseScamAlertResult,
  ZScamNumberParams,
  ZScamQueue,
  ZScamQueueQuery,
  ZScamReportSubmitted,
  ZScamReviewRequest,
  ZStaffScamReport,
} from '@common/schemas/scam-numbers'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { scopeOf } from '../../lib/scope'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { scamNumbersPolicy } from './scam-numbers.policy'
import { presentMyReport, presentStaffReport } from './scam-numbers.presenter'
import { scamNumbersRepository } from './scam-numbers.repository'
import { type ScamNumbersDeps, scamNumbersService } from './scam-numbers.service'

const tags = ['scam-numbers']
const ZParams = z.object({ id: z.uuid() })

/** Per resident (not per IP: a family shares one router): a few reports a minute, a day's worth an hour. */
export const scamReportLimits = {
  report: {
    max: 10,
    timeWindow: '10 minutes',
    keyGenerator: (request: FastifyRequest) => `scam-report:${request.actor?.userId ?? request.ip}`,
  },
}

/** Residents report; staff of the reporter's area verify in a queue and raise a warning. */
export function scamReportsRoutes(deps: ScamNumbersDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/scam-numbers/reports',
      {
        config: { rateLimit: scamReportLimits.report },
        schema: {
          tags,
          summary: 'Report a number that called pretending to be police (after a caller check)',
          body: ZCreateScamReportRequest,
          response: { 200: ZScamReportSubmitted, 201: ZScamReportSubmitted },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request)
        scamNumbersPolicy.authorize(actor, 'report')
        const { report, phone, created } = await scamNumbersService.submit(deps, actor, request.body)
        return reply.status(created ? 201 : 200).send({ report: presentMyReport(report, phone), created })
      },
    )

    app.get(
      '/api/scam-numbers/reports/mine',
      { schema: { tags, response: { 200: ZMyScamReports } } },
      async (request) => {
        const actor = requireActor(request)
        scamNumbersPolicy.authorize(actor, 'listOwn')
        const rows = await scamNumbersRepository.listMine(app.db, actor.userId)
        return { items: rows.map((r) => presentMyReport(r.report, r.phone)) }
      },
    )

    app.get(
      '/api/scam-numbers/queue',
      { schema: { tags, querystring: ZScamQueueQuery, response: { 200: ZScamQueue } } },
      async (request) => {
        const actor = requireActor(request)
        scamNumbersPolicy.authorize(actor, 'queue')
        const rows = await scamNumbersRepository.listQueue(app.db, scopeOf(actor), request.query.status)
        // Reporters' names and phones leave here: the read is on record.
        await audit.record(app.db, auditContext(request), {
          action: 'scam_report.list',
          entityType: 'scam_report',
          details: {
            count: rows.length,
            status: request.query.status,
            subjectUserIds: [...new Set(rows.map((r) => r.report.reporterId))],
          },
        })
        return { items: rows.map((r) => presentStaffReport(r, actor)) }
      },
    )

    app.post(
      '/api/scam-numbers/reports/:id/review',
      {
        schema: {
          tags,
          params: ZParams,
          body: ZScamReviewRequest,
          response: { 200: ZStaffScamReport },
        },
      },
      async (request) => {
        const actor = requireActor(request)
        const row = await scamNumbersService.review(
          deps,
          actor,
          auditContext(request),
          request.params.id,
          request.body,
        )
        // The decision is on record (audited in the service); the answer shows the same report.
        return presentStaffReport((await scamNumbersRepository.oneWithContext(app.db, row.id))!, actor)
      },
    )

    app.post(
      '/api/scam-numbers/numbers/:phone/alert',
      {
        schema: {
          tags,
          summary: 'Raise a scam-warning alert about a verified number, with its verified reports',
          params: ZScamNumberParams,
          response: { 200: ZRaiseScamAlertResult, 201: ZRaiseScamAlertResult },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request)
        scamNumbersPolicy.authorize(actor, 'queue')
        const result = await scamNumbersService.raiseAlert(
          deps,
          actor,
          auditContext(request),
          request.params.phone,
        )
        return reply.status(result.created ? 201 : 200).send(result)
      },
    )
  }
}
