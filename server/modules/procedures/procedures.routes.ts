import {
  ZProcedureDetail,
  ZProcedureList,
  ZProcedureSearchResults,
  ZProcedureVersions,
  ZUnitProcedureNotes,
} from '@common/schemas/procedures'
import { ZText } from '@common/schemas/text'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../../lib/errors'
import { auditContext } from '../audit/audit.service'
import { optionalActor, requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { unitsRepository } from '../organisation/units.repository'
import { searchProcedures } from './procedure-search.service'
import { proceduresPolicy as policy } from './procedures.policy'
import {
  presentDetail,
  presentSearchHit,
  presentSummary,
  presentUnitNotes,
  presentVersion,
} from './procedures.presenter'
import { findNearestUnitNotes, listProcedures, listVersions, versionAuthors } from './procedures.repository'
import { ZCategory, ZProcedureId, ZProcedureUpdate, ZUnitNotesUpdate } from './procedures.schemas'
import { findProcedureOr404, relatedProcedures, saveUnitNotes, updateProcedure } from './procedures.service'

const tags = ['procedures']
const ZParams = z.object({ id: ZProcedureId })
const ZSearchQuery = z.object({
  q: ZText.trim().min(1).max(300),
  limit: z.coerce.number().int().min(1).max(20).default(8),
})

/** Mild: results-as-you-type sends a request per pause, not per key. */
const searchLimit = { rateLimit: { max: 120, timeWindow: '1 minute' } }

/** The procedure catalogue: public reading and search; staff editing with versions; unit notes. */
export const proceduresRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/procedures/search',
    {
      config: searchLimit,
      schema: {
        ...publicOperation,
        tags,
        querystring: ZSearchQuery,
        response: { 200: ZProcedureSearchResults },
      },
    },
    async (request) => {
      policy.authorize(optionalActor(request), 'search')
      const { none, hits } = await searchProcedures(app.db, request.query.q, { limit: request.query.limit })
      // "None" is an answer: a wrong card would send the resident to the wrong office.
      return { query: request.query.q, none, results: none ? [] : hits.map(presentSearchHit) }
    },
  )

  app.get(
    '/api/procedures',
    {
      schema: {
        ...publicOperation,
        tags,
        querystring: z.object({ category: ZCategory.optional() }),
        response: { 200: ZProcedureList },
      },
    },
    async (request) => {
      const actor = optionalActor(request)
      policy.authorize(actor, 'read')
      const staff = policy.can(actor, 'readStaffView')
      const rows = await listProcedures(app.db, { category: request.query.category })
      return { procedures: rows.map((r) => presentSummary(r, staff)) }
    },
  )

  app.get(
    '/api/procedures/:id',
    {
      schema: {
        ...publicOperation,
        tags,
        params: ZParams,
        querystring: z.object({ unit: ZText.trim().max(120).optional() }),
        response: { 200: ZProcedureDetail },
      },
    },
    async (request) => {
      const actor = optionalActor(request)
      policy.authorize(actor, 'read')
      const row = await findProcedureOr404(app.db, request.params.id)
      const staff = policy.can(actor, 'readStaffView')
      if (row.archived && !staff) throw notFound('procedures.not_found')
      const unit = request.query.unit
        ? await unitsRepository.findBySlug(app.db, request.query.unit)
        : undefined
      const notes = unit
        ? await findNearestUnitNotes(app.db, unit.path.split('/').filter(Boolean), row.id)
        : undefined
      const related = await relatedProcedures(app.db, row)
      return presentDetail(row, { notes, related, staff, canEdit: policy.can(actor, 'update') })
    },
  )

  app.put(
    '/api/procedures/:id',
    { schema: { tags, params: ZParams, body: ZProcedureUpdate, response: { 200: ZProcedureDetail } } },
    async (request) => {
      const actor = requireActor(request)
      policy.authorize(actor, 'update')
      const { row } = await updateProcedure(
        app.db,
        { ...auditContext(request), actor },
        request.params.id,
        request.body,
      )
      const related = await relatedProcedures(app.db, row)
      return presentDetail(row, { related, staff: true, canEdit: true })
    },
  )

  app.get(
    '/api/procedures/:id/versions',
    { schema: { tags, params: ZParams, response: { 200: ZProcedureVersions } } },
    async (request) => {
      const actor = requireActor(request)
      policy.authorize(actor, 'readVersions')
      await findProcedureOr404(app.db, request.params.id)
      const versions = await listVersions(app.db, request.params.id)
      const authors = await versionAuthors(app.db, [
        ...new Set(versions.flatMap((v) => (v.changedBy ? [v.changedBy] : []))),
      ])
      return { versions: versions.map((v) => presentVersion(v, authors)) }
    },
  )

  app.put(
    '/api/units/:unitId/procedures/:id/notes',
    {
      schema: {
        tags,
        params: z.object({ unitId: z.uuid(), id: ZProcedureId }),
        body: ZUnitNotesUpdate,
        response: { 200: ZUnitProcedureNotes },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const unit = await unitsRepository.findById(app.db, request.params.unitId)
      if (!unit) throw notFound('procedures.unit_not_found')
      policy.authorize(actor, 'editUnitNotes', unit)
      const saved = await saveUnitNotes(
        app.db,
        { ...auditContext(request), actor },
        unit,
        request.params.id,
        request.body,
      )
      return presentUnitNotes(saved, unit.name)
    },
  )
}
