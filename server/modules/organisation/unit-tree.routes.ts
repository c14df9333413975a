import {
  UNIT_FILE_MAX_CHARS,
  ZUnitTreeExportQuery,
  ZUnitTreeImportReport,
  ZUnitTreeImportRequest,
} from '@common/schemas/unit-tree'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { organisationPolicy as policy } from './organisation.policy'
import { presentImportReport } from './unit-tree.presenter'
import { exportUnits } from './units-export.service'
import { importUnits } from './units-import.service'

const tags = ['organisation']
const contentType = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const

/**
 * The unit tree as a file, for administrators in the staff console: the same import (one
 * transaction, a bad row writes nothing, dry run first) and export as `nhipcau import/export units`.
 */
export const unitTreeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/unit-tree/import',
    {
      // The file travels as JSON text: room for the 4 MB of it plus escaping.
      bodyLimit: UNIT_FILE_MAX_CHARS * 2,
      schema: { tags, body: ZUnitTreeImportRequest, response: { 200: ZUnitTreeImportReport } },
    },
    async (request) => {
      const actor = requireActor(request)
      policy.authorize(actor, 'transferUnitTree')
      const { format, text, dryRun } = request.body
      const report = await importUnits(app.db, text, { format, dryRun, audit: auditContext(request) })
      return presentImportReport(report, request.locale, format)
    },
  )

  app.get(
    '/api/unit-tree/export',
    { schema: { tags, querystring: ZUnitTreeExportQuery } },
    async (request, reply) => {
      const actor = requireActor(request)
      policy.authorize(actor, 'transferUnitTree')
      const { format, root } = request.query
      const text = await exportUnits(app.db, { format, rootSlug: root || undefined })
      return reply
        .type(contentType[format])
        .header('content-disposition', `attachment; filename="${root || 'units'}.${format}"`)
        .header('cache-control', 'no-store')
        .send(text)
    },
  )
}
