import { ZAccessReason, ZResident, ZResidentList } from '@common/schemas/residents'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../../lib/errors'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { residentsPolicy } from './residents.policy'
import type { ResidentRow } from './residents.repository'
import { findArea, findResident, listResidentsOfArea } from './residents.repository'

const present = ({ user, area }: ResidentRow) => ({
  id: user.id,
  displayName: user.displayName,
  fullName: user.fullName,
  phone: user.phone,
  address: user.address,
  area: area ? { id: area.id, name: area.name } : null,
  createdAt: user.createdAt.toISOString(),
})

/** Staff reading residents of their areas. Every read is written to the audit log before the answer leaves. */
export const residentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/residents',
    {
      schema: {
        tags: ['residents'],
        querystring: ZAccessReason.extend({ areaId: z.uuid() }),
        response: { 200: ZResidentList },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const area = await findArea(app.db, request.query.areaId)
      if (!area) throw notFound()
      residentsPolicy.authorize(actor, 'listInArea', area)
      const rows = await listResidentsOfArea(app.db, area.id)
      await audit.record(app.db, auditContext(request), {
        action: 'resident.list',
        entityType: 'area',
        entityId: area.id,
        unitId: area.id,
        unitPath: area.path,
        reason: request.query.reason ?? null,
        details: { count: rows.length, subjectUserIds: rows.map((r) => r.user.id) },
      })
      return { items: rows.map(present) }
    },
  )

  app.get(
    '/api/residents/:id',
    {
      schema: {
        tags: ['residents'],
        params: z.object({ id: z.uuid() }),
        querystring: ZAccessReason,
        response: { 200: ZResident },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const row = await findResident(app.db, request.params.id)
      if (!row) throw notFound()
      // Hidden: a caller who may not read this resident cannot learn that they exist.
      residentsPolicy.authorize(actor, 'read', { areaPath: row.area?.path ?? null }, { hide: true })
      await audit.record(app.db, auditContext(request), {
        action: 'resident.read',
        entityType: 'user',
        entityId: row.user.id,
        unitId: row.area?.id ?? null,
        unitPath: row.area?.path ?? null,
        reason: request.query.reason ?? null,
      })
      return present(row)
    },
  )
}
