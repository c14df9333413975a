import {
  ZExpiringList,
  ZRegisterEntryRequest,
  ZRegisterPage,
  ZRegisterPersonDetail,
  ZRegisterQuery,
} from '@common/schemas/movements'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { invalidField, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { addDays, vnToday } from './deadlines'
import { movementsPolicy } from './movements.policy'
import { presentPerson } from './movements.presenter'
import { movementsRepository } from './movements.repository'
import { registerRepository } from './register.repository'
import { registerService } from './register.service'

const encodeCursor = (key: string, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url')
function decodeCursor(cursor: string | undefined): [string, string] | undefined {
  if (!cursor) return undefined
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(v) && typeof v[0] === 'string' && z.uuid().safeParse(v[1]).success)
      return [v[0], v[1] as string]
  } catch {}
  throw invalidField('cursor', 'invalid', 'movements.cursor_invalid')
}

/**
 * The area's working register (not the national population database): households and people
 * per address, their history, stays ending this week, the officer's own entries. Every read of
 * people is written to the audit log before the answer leaves.
 */
export const registerRoutes: FastifyPluginAsyncZod = async (app) => {
  /** An area filter the caller may read, or 404. */
  async function areaFilter(actor: Parameters<typeof movementsPolicy.can>[0], areaId: string | undefined) {
    if (!areaId) return undefined
    const area = await movementsRepository.area(app.db, areaId)
    if (!area || !movementsPolicy.can(actor, 'readRegister', area)) throw notFound()
    return area
  }

  app.get(
    '/api/register/areas',
    {
      schema: {
        tags: ['register'],
        response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string() })) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'queue')
      const s = scopeOf(actor)
      const areas = await movementsRepository.areasUnder(app.db, [...s.coverPaths, ...s.commandPaths])
      return { items: areas.map((a) => ({ id: a.id, name: a.name })) }
    },
  )

  app.get(
    '/api/register/households',
    { schema: { tags: ['register'], querystring: ZRegisterQuery, response: { 200: ZRegisterPage } } },
    async (request) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'queue')
      const q = request.query
      const area = await areaFilter(actor, q.areaId)
      const rows = await registerRepository.households(app.db, scopeOf(actor), {
        areaId: area?.id,
        q: q.q || undefined,
        after: decodeCursor(q.cursor),
        limit: q.limit + 1,
      })
      const page = rows.slice(0, q.limit)
      const people = await registerRepository.peopleOf(
        app.db,
        page.map((r) => r.household.id),
        q.includeLeft === 'true',
        vnToday(),
      )
      await audit.record(app.db, auditContext(request), {
        action: 'register.list',
        entityType: 'register_household',
        unitId: area?.id ?? null,
        unitPath: area?.path ?? null,
        details: { households: page.length, people: people.length, searched: !!q.q },
      })
      const today = vnToday()
      const last = page.at(-1)
      return {
        items: page.map(({ household, areaName }) => ({
          id: household.id,
          area: { id: household.areaId, name: areaName },
          address: household.address,
          people: people.filter((p) => p.householdId === household.id).map((p) => presentPerson(p, today)),
        })),
        nextCursor:
          rows.length > q.limit && last ? encodeCursor(last.household.addressKey, last.household.id) : null,
      }
    },
  )

  app.get(
    '/api/register/expiring',
    {
      schema: {
        tags: ['register'],
        querystring: z.object({ areaId: z.uuid().optional() }),
        response: { 200: ZExpiringList },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'queue')
      const area = await areaFilter(actor, request.query.areaId)
      const today = vnToday()
      const rows = await registerRepository.expiring(
        app.db,
        scopeOf(actor),
        today,
        addDays(today, 6),
        area?.id,
      )
      await audit.record(app.db, auditContext(request), {
        action: 'register.list',
        entityType: 'register_person',
        unitId: area?.id ?? null,
        unitPath: area?.path ?? null,
        details: { expiring: rows.length },
      })
      return {
        items: rows.map((r) => ({
          ...presentPerson(r.person, today),
          address: r.address,
          area: { id: r.person.areaId, name: r.areaName },
        })),
      }
    },
  )

  app.get(
    '/api/register/people/:id',
    {
      schema: {
        tags: ['register'],
        params: z.object({ id: z.uuid() }),
        response: { 200: ZRegisterPersonDetail },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const row = await registerRepository.person(app.db, request.params.id)
      if (!row) throw notFound()
      movementsPolicy.authorize(actor, 'readRegister', { path: row.person.areaPath }, { hide: true })
      await audit.record(app.db, auditContext(request), {
        action: 'register.read',
        entityType: 'register_person',
        entityId: row.person.id,
        unitId: row.person.areaId,
        unitPath: row.person.areaPath,
      })
      return presentDetail(row, await registerRepository.history(app.db, row.person.id))
    },
  )

  app.post(
    '/api/register/people',
    { schema: { tags: ['register'], body: ZRegisterEntryRequest, response: { 201: ZRegisterPersonDetail } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const b = request.body
      const area = await movementsRepository.area(app.db, b.areaId)
      if (!area) throw invalidField('areaId', 'invalid', 'movements.area_invalid')
      movementsPolicy.authorize(actor, 'writeRegister', area)
      const isForeign = b.person.idKind === 'passport' && b.person.nationality !== 'VN'
      const person = await app.db.transaction(async (tx) => {
        const p = await registerService.addEntry(
          tx,
          {
            area,
            address: b.address,
            person: {
              ...b.person,
              nationality: b.person.nationality ?? (isForeign ? null : 'VN'),
              isForeign,
            },
            residence: b.residence,
            fromDate: b.fromDate ?? null,
            untilDate: b.untilDate ?? null,
          },
          actor.userId,
        )
        await audit.record(tx, auditContext(request), {
          action: 'register.entry',
          entityType: 'register_person',
          entityId: p.id,
          unitId: area.id,
          unitPath: area.path,
        })
        return p
      })
      const row = (await registerRepository.person(app.db, person.id))!
      return reply.status(201).send(presentDetail(row, await registerRepository.history(app.db, person.id)))
    },
  )
}

function presentDetail(
  row: NonNullable<Awaited<ReturnType<typeof registerRepository.person>>>,
  history: Awaited<ReturnType<typeof registerRepository.history>>,
) {
  return {
    ...presentPerson(row.person),
    household: {
      id: row.household.id,
      address: row.household.address,
      area: { id: row.household.areaId, name: row.areaName },
    },
    history: history.map(({ event, actorName }) => ({
      at: event.at.toISOString(),
      change: event.change,
      fromDate: event.fromDate,
      untilDate: event.untilDate,
      reportId: event.reportId,
      actorName,
    })),
  }
}
