import { ZAuditPage, ZAuditQuery } from '@common/schemas/audit'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { requireActor } from '../auth/auth.guard'
import { auditPolicy } from './audit.policy'
import { auditCsv, presentAuditEntry } from './audit.presenter'
import { listAudit } from './audit.repository'
import { audit, auditContext } from './audit.service'

const CSV_MAX_ROWS = 10_000

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    { schema: { tags: ['audit'], querystring: ZAuditQuery, response: { 200: ZAuditPage } } },
    async (request) => {
      const actor = requireActor(request)
      auditPolicy.authorize(actor, 'list')
      const { limit, ...filters } = request.query
      const rows = await listAudit(app.db, actor, filters, limit + 1)
      const page = rows.slice(0, limit)
      const withOrigin = auditPolicy.can(actor, 'readOrigin')
      return {
        items: page.map((r) => presentAuditEntry(r, withOrigin)),
        nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      }
    },
  )

  app.get(
    '/api/audit.csv',
    {
      schema: {
        tags: ['audit'],
        querystring: ZAuditQuery.omit({ limit: true, before: true }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      auditPolicy.authorize(actor, 'list')
      const rows = await listAudit(app.db, actor, request.query, CSV_MAX_ROWS)
      const withOrigin = auditPolicy.can(actor, 'readOrigin')
      await audit.record(app.db, auditContext(request), {
        action: 'audit.export',
        entityType: 'audit_log',
        details: { rows: rows.length, filters: request.query },
      })
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="nhipcau-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        )
        .send(
          auditCsv(
            rows.map((r) => presentAuditEntry(r, withOrigin)),
            withOrigin,
          ),
        )
    },
  )
}
