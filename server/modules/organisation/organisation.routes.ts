import {
  ZAreaDetail,
  ZAssignmentResult,
  ZCreateArea,
  ZCreateAssignment,
  ZEndAssignment,
  ZHierarchyLevels,
  ZUnitAreas,
  ZUnitDetail,
  ZUnitListItem,
  ZUnitOfficers,
  ZUnitRoots,
  ZUpdateArea,
  ZUpdateHierarchyLevel,
} from '@common/schemas/organisation'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Actor } from '../../lib/actor'
import { notFound } from '../../lib/errors'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { createArea, updateArea } from './areas.service'
import { assignmentsRepository } from './assignments.repository'
import { assignOfficer, endAssignment } from './assignments.service'
import { AREA_LEVEL, hierarchyRepository } from './hierarchy.repository'
import { registerOfficerChangeJob } from './officer-change.job'
import { organisationPolicy as policy } from './organisation.policy'
import { presentAssignment, presentUnit } from './organisation.presenter'
import { registerUnitRoom } from './unit-room'
import { unitsRepository } from './units.repository'
import { ancestorsOf, findUnitOr404, listItems, officersOf, rootUnitsFor } from './units-read.service'

const tags = ['organisation']
const ZId = z.object({ id: z.uuid() })
const ZAssignmentParams = z.object({ id: z.uuid(), assignmentId: z.uuid() })
const hide = { hide: true }

/** Who cannot even read the unit gets 404 (no hint it exists); a reader who may not change it gets 403. */
function authorizeManage(actor: Actor, unit: { path: string }) {
  policy.authorize(actor, 'readUnit', unit, hide)
  policy.authorize(actor, 'manageUnit', unit)
}

/** Staff API: the unit tree, areas, officers and assignments, scoped by organisationPolicy. */
export const organisationRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { db: app.db, bus: app.deps.bus, jobs: app.deps.jobs }
  registerOfficerChangeJob(app.deps.jobs, deps)
  registerUnitRoom(app)

  const findArea = async (id: string) => {
    const area = await findUnitOr404(app.db, id, 'organisation.area_not_found')
    if (area.level !== AREA_LEVEL) throw notFound('organisation.area_not_found')
    return area
  }

  app.get(
    '/api/hierarchy-levels',
    { schema: { ...publicOperation, tags, response: { 200: ZHierarchyLevels } } },
    async () => ({
      levels: (await hierarchyRepository.list(app.db)).map(({ updatedAt: _, ...l }) => l),
    }),
  )

  app.patch(
    '/api/hierarchy-levels/:key',
    {
      schema: {
        tags,
        params: z.object({ key: z.string().max(40) }),
        body: ZUpdateHierarchyLevel,
        response: { 200: ZHierarchyLevels },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      policy.authorize(actor, 'configureLevels')
      await app.db.transaction(async (tx) => {
        const updated = await hierarchyRepository.update(tx, request.params.key, request.body)
        if (!updated) throw notFound('organisation.level_not_found')
        await audit.record(tx, auditContext(request), {
          action: 'hierarchy_level.update',
          entityType: 'hierarchy_level',
          entityId: updated.key,
          details: { fields: Object.keys(request.body) },
        })
      })
      return { levels: (await hierarchyRepository.list(app.db)).map(({ updatedAt: _, ...l }) => l) }
    },
  )

  app.get('/api/units', { schema: { tags, response: { 200: ZUnitRoots } } }, async (request) => {
    const actor = requireActor(request)
    policy.authorize(actor, 'listUnits')
    return { units: await listItems(app.db, await rootUnitsFor(app.db, actor)) }
  })

  app.get(
    '/api/units/:id',
    { schema: { tags, params: ZId, response: { 200: ZUnitDetail } } },
    async (request) => {
      const actor = requireActor(request)
      const unit = await findUnitOr404(app.db, request.params.id)
      policy.authorize(actor, 'readUnit', unit, hide)
      const [[item], ancestors, children] = await Promise.all([
        listItems(app.db, [unit]),
        ancestorsOf(app.db, unit),
        unitsRepository.listChildren(app.db, unit.id).then((rows) => listItems(app.db, rows)),
      ])
      return {
        unit: item!,
        ancestors: ancestors.filter((a) => policy.can(actor, 'readUnit', a)).map(presentUnit),
        children,
        can: { manage: policy.can(actor, 'manageUnit', unit) },
      }
    },
  )

  app.get(
    '/api/units/:id/areas',
    { schema: { tags, params: ZId, response: { 200: ZUnitAreas } } },
    async (request) => {
      const actor = requireActor(request)
      const unit = await findUnitOr404(app.db, request.params.id)
      policy.authorize(actor, 'readUnit', unit, hide)
      return {
        areas: await listItems(app.db, await unitsRepository.listSubtree(app.db, unit.path, AREA_LEVEL)),
      }
    },
  )

  app.get(
    '/api/units/:id/officers',
    { schema: { tags, params: ZId, response: { 200: ZUnitOfficers } } },
    async (request) => {
      const actor = requireActor(request)
      const unit = await findUnitOr404(app.db, request.params.id)
      policy.authorize(actor, 'readUnit', unit, hide)
      return { officers: await officersOf(app.db, unit) }
    },
  )

  app.post(
    '/api/units/:id/areas',
    { schema: { tags, params: ZId, body: ZCreateArea, response: { 201: ZUnitListItem } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const unit = await findUnitOr404(app.db, request.params.id)
      authorizeManage(actor, unit)
      const area = await createArea(app.db, auditContext(request), unit, request.body)
      const [item] = await listItems(app.db, [area])
      return reply.status(201).send(item!)
    },
  )

  app.get(
    '/api/areas/:id',
    { schema: { tags, params: ZId, response: { 200: ZAreaDetail } } },
    async (request) => {
      const actor = requireActor(request)
      const area = await findArea(request.params.id)
      policy.authorize(actor, 'readUnit', area, hide)
      const [[item], parent, assignments] = await Promise.all([
        listItems(app.db, [area]),
        findUnitOr404(app.db, area.parentId!),
        assignmentsRepository.listForArea(app.db, area.id),
      ])
      const manage = policy.can(actor, 'manageUnit', area)
      return {
        area: item!,
        unit: presentUnit(parent),
        assignments: assignments.map((a) => presentAssignment(a)),
        can: { update: manage, assign: manage },
      }
    },
  )

  app.patch(
    '/api/areas/:id',
    { schema: { tags, params: ZId, body: ZUpdateArea, response: { 200: ZUnitListItem } } },
    async (request) => {
      const actor = requireActor(request)
      const area = await findArea(request.params.id)
      authorizeManage(actor, area)
      const updated = await updateArea(app.db, auditContext(request), area, request.body)
      const [item] = await listItems(app.db, [updated])
      return item!
    },
  )

  app.post(
    '/api/areas/:id/assignments',
    { schema: { tags, params: ZId, body: ZCreateAssignment, response: { 201: ZAssignmentResult } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const area = await findArea(request.params.id)
      authorizeManage(actor, area)
      const result = await assignOfficer(deps, auditContext(request), area.id, request.body)
      return reply.status(201).send({
        assignment: presentAssignment(result.assignment),
        previousOfficerId: result.previousOfficerId,
      })
    },
  )

  app.post(
    '/api/areas/:id/assignments/:assignmentId/end',
    {
      schema: {
        tags,
        params: ZAssignmentParams,
        body: ZEndAssignment.optional(),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const area = await findArea(request.params.id)
      authorizeManage(actor, area)
      await endAssignment(
        deps,
        auditContext(request),
        area.id,
        request.params.assignmentId,
        request.body ?? {},
      )
      return reply.status(204).send(null)
    },
  )
}
