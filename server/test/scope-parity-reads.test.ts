import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, helpResponses, users } from '../db/schema/index'
import { auditPolicy } from '../modules/audit/audit.policy'
import { loadActor } from '../modules/auth/actor.repository'
import type { TestSession } from './auth-helpers'
import { type AuthzWorld, authzRoles, buildAuthzWorld, signInWorld } from './authz-matrix'
import { buildCase, buildHelpRequest } from './factories/index'
import { createTestApp, type TestContext } from './test-app'

/**
 * Scope parity for the audit log and requests for help: on the authorisation world (9 callers,
 * two wards) a list returns exactly what the single read (or the policy's rule for one entry) lets
 * the caller read. Found by it: a resident who had answered a request for help and then left its
 * audience still saw it in their list, while opening it gave 404.
 */
let t: TestContext
let w: AuthzWorld
let sessions: Record<string, TestSession | null>
const entries: {
  id: number
  actorId: string | null
  unitPath: string | null
  ward: 'home' | 'neighbour' | null
}[] = []
const helpIds: string[] = []
let answeredElsewhere = ''

beforeAll(async () => {
  t = await createTestApp()
  w = await buildAuthzWorld(t.db)
  const u = w.users
  for (const [actor, unit, ward] of [
    [u.officer, w.area, 'home'],
    [u.commander, w.ward, 'home'],
    [null, w.otherArea, 'home'],
    [u.officerNeighbour, w.neighbourArea, 'neighbour'],
    [u.commanderNeighbour, w.neighbourWard, 'neighbour'],
    [u.officer, w.neighbourArea, 'neighbour'],
    [null, null, null],
  ] as const) {
    const [row] = await t.db
      .insert(auditLog)
      .values({
        actorId: actor?.id ?? null,
        actorRole: actor ? 'officer' : 'system',
        action: 'parity.seed',
        entityType: 'unit',
        unitId: unit?.id ?? null,
        unitPath: unit?.path ?? null,
      })
      .returning()
    entries.push({ id: row!.id, actorId: row!.actorId, unitPath: row!.unitPath, ward })
  }
  for (const [area, officer] of [
    [w.area, u.officer],
    [w.otherArea, u.officer],
    [w.neighbourArea, u.officerNeighbour],
  ] as const) {
    const caseRow = await buildCase(t.db, { area, createdById: officer.id, assigneeId: officer.id })
    const h = await buildHelpRequest(t.db, { caseRow, area, createdById: officer.id })
    helpIds.push(h.id)
  }
  // The home resident answered the neighbouring area's request (they lived there then).
  answeredElsewhere = helpIds[2]!
  await t.db.insert(helpResponses).values({
    helpRequestId: answeredElsewhere,
    responderId: u.resident.id,
    body: 'Camera nhà tôi có quay',
    clientKey: 'parity-1',
  })
  sessions = await signInWorld(t.app, w)
}, 120_000)

afterAll(() => t.close())

const get = (role: string, url: string) => {
  const s = sessions[role]
  return t.app.inject({ method: 'GET', url, headers: s ? s.headers : {} })
}

async function actorOf(role: keyof AuthzWorld['users']) {
  const [row] = await t.db.select().from(users).where(eq(users.id, w.users[role].id))
  return loadActor(t.db, row!, 'parity')
}

describe('the audit log lists exactly the entries its policy lets the caller read', () => {
  for (const role of authzRoles) {
    it(`for ${role}`, async () => {
      const res = await get(role, '/api/audit?action=parity.seed&limit=200')
      if (res.statusCode === 401 || res.statusCode === 403) return
      expect(res.statusCode, res.body).toBe(200)
      const seeded = new Set(entries.map((e) => e.id))
      const got = (res.json().items as { id: number }[]).map((e) => e.id).filter((id) => seeded.has(id))
      const actor = role === 'anonymous' ? null : await actorOf(role)
      const allowed = entries.filter((e) => auditPolicy.can(actor, 'readEntry', e)).map((e) => e.id)
      expect(new Set(got), role).toEqual(new Set(allowed))
      if (role === 'commanderNeighbour')
        expect(entries.filter((e) => got.includes(e.id) && e.ward === 'home')).toEqual([])
      if (role === 'commander')
        expect(
          entries.filter(
            (e) => got.includes(e.id) && e.ward === 'neighbour' && e.actorId !== w.users.commander.id,
          ),
        ).toEqual([])
    })
  }
})

describe('the list of requests for help holds exactly the ones the caller can open', () => {
  for (const role of authzRoles) {
    it(`for ${role}`, async () => {
      const opens: string[] = []
      for (const id of helpIds) {
        const res = await get(role, `/api/help-requests/${id}`)
        expect([200, 401, 403, 404], `${role} ${id}`).toContain(res.statusCode)
        if (res.statusCode === 200) opens.push(id)
      }
      const list = await get(role, '/api/help-requests')
      if (list.statusCode === 401 || list.statusCode === 403) return
      expect(list.statusCode, list.body).toBe(200)
      const listed = (list.json() as { id: string }[]).map((h) => h.id).filter((id) => helpIds.includes(id))
      expect(new Set(listed), role).toEqual(new Set(opens))
      if (role === 'resident') expect(opens).toContain(answeredElsewhere)
    })
  }
})
