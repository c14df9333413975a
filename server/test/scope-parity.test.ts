import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { users } from '../db/schema/index'
import { checkAlertsParity, seedAlertsParity } from '../modules/alerts/alerts.parity'
import { loadActor } from '../modules/auth/actor.repository'
import { dashboardPolicy } from '../modules/dashboard/dashboard.policy'
import { conversationRepository } from '../modules/messaging/conversation.repository'
import { messagingPolicy } from '../modules/messaging/messaging.policy'
import { checkMovementsParity, seedMovementsParity } from '../modules/movements/movements.parity'
import { checkResidentsParity, seedResidentsParity } from '../modules/residents/residents.parity'
import { casesPolicy, tipsPolicy } from '../modules/tips/tips.policy'
import type { TestSession } from './auth-helpers'
import { type AuthzWorld, authzRoles, buildAuthzWorld, signInWorld } from './authz-matrix'
import { buildCase, buildDirectConversation, buildGroup, buildMessage, buildTip } from './factories/index'
import { createTestApp, type TestContext } from './test-app'

/**
 * Scope parity: on the authorisation world (9 callers, two wards), every list endpoint returns
 * exactly the seeded records its policy lets the caller read, and nothing of the other ward.
 * A list query that skips its policy's `scopes` fails here.
 */

let t: TestContext
let w: AuthzWorld
let sessions: Record<string, TestSession | null>
const wardOf = new Map<string, 'home' | 'neighbour'>()
const seeded = {
  tips: [] as { id: string; areaPath: string; assigneeId: string | null; submitterId: string | null }[],
  cases: [] as { id: string; areaPath: string; assigneeId: string | null }[],
  conversations: [] as string[],
}

beforeAll(async () => {
  t = await createTestApp()
  w = await buildAuthzWorld(t.db)
  const u = w.users
  const areas = [
    { area: w.area, ward: 'home' as const, officer: u.officer, resident: u.resident },
    { area: w.otherArea, ward: 'home' as const, officer: u.officer, resident: u.residentOtherArea },
    { area: w.neighbourArea, ward: 'neighbour' as const, officer: u.officerNeighbour, resident: null },
  ]
  for (const { area, ward, officer, resident } of areas) {
    // Unassigned (duty queue), assigned to the ward's officer, to the other ward's officer, sent by a resident.
    for (const assigneeId of [null, officer.id, u.officerNeighbour.id, u.officer.id]) {
      const tip = await buildTip(t.db, { area, assigneeId, submitterId: resident?.id ?? null })
      seeded.tips.push({ id: tip.id, areaPath: tip.areaPath, assigneeId, submitterId: tip.submitterId })
      wardOf.set(tip.id, ward)
      const c = await buildCase(t.db, { area, assigneeId, createdById: officer.id })
      seeded.cases.push({ id: c.id, areaPath: c.areaPath, assigneeId })
      wardOf.set(c.id, ward)
    }
    const groupOwner = officer
    const { group, conversation: gc } = await buildGroup(t.db, {
      unit: area,
      owner: groupOwner,
      members: resident ? [resident] : [],
    })
    await buildMessage(t.db, { conversation: gc, author: groupOwner })
    seeded.conversations.push(gc.id)
    wardOf.set(gc.id, ward)
    wardOf.set(group.id, ward)
  }
  for (const [resident, area, assignee] of [
    [u.resident, w.area, u.officer],
    [u.residentOtherArea, w.otherArea, null],
    [u.moderator, w.neighbourArea, u.officerNeighbour],
  ] as const) {
    const conv = await buildDirectConversation(t.db, { resident, area, assignee })
    await buildMessage(t.db, { conversation: conv, author: resident })
    seeded.conversations.push(conv.id)
    wardOf.set(conv.id, area.id === w.neighbourArea.id ? 'neighbour' : 'home')
  }
  await seedMovementsParity(t.db, w, wardOf)
  await seedAlertsParity(t.app, w, wardOf)
  await seedResidentsParity(t.db, w, wardOf)
  sessions = await signInWorld(t.app, w)
}, 120_000)

afterAll(async () => {
  await t.close()
})

async function actorOf(role: keyof AuthzWorld['users']) {
  const [row] = await t.db.select().from(users).where(eq(users.id, w.users[role].id))
  return loadActor(t.db, row!, 'parity')
}

async function get(role: string, url: string) {
  const s = sessions[role]
  return t.app.inject({ method: 'GET', url, headers: s ? s.headers : {} })
}

/** The ids a list answered with, among the seeded records; null when the list itself was refused. */
async function listed(role: string, url: string, ids: (body: never) => string[]) {
  const res = await get(role, url)
  if (res.statusCode === 401 || res.statusCode === 403) return null
  expect(res.statusCode, `${role} ${url}: ${res.body}`).toBe(200)
  return ids(res.json() as never).filter((id) => wardOf.has(id))
}

const byId = (list: { id: string }[]) => list.map((x) => x.id)

const home = (role: string) =>
  ['resident', 'residentOtherArea', 'moderator', 'officer', 'commander'].includes(role)

function expectParity(role: string, got: string[] | null, allowed: string[]) {
  if (got === null) return
  expect(new Set(got), role).toEqual(new Set(allowed))
  // Belt and braces: a caller of one ward never sees the other ward's records in any list.
  if (role.endsWith('Neighbour'))
    expect(
      got.filter((id) => wardOf.get(id) === 'home'),
      role,
    ).toEqual([])
  if (home(role) && role !== 'moderator')
    expect(
      got.filter((id) => wardOf.get(id) === 'neighbour'),
      role,
    ).toEqual([])
}

describe('every list returns exactly what its policy lets the caller read', () => {
  for (const role of authzRoles) {
    it(`for ${role}`, async () => {
      const actor = role === 'anonymous' ? null : await actorOf(role)
      const readableTips = seeded.tips.filter((r) => tipsPolicy.can(actor, 'read', r)).map((r) => r.id)
      const readableCases = seeded.cases.filter((r) => casesPolicy.can(actor, 'read', r)).map((r) => r.id)
      const readable: { direct: string[]; groups: string[]; all: string[] } = {
        direct: [],
        groups: [],
        all: [],
      }
      for (const id of seeded.conversations) {
        const loaded = await conversationRepository.load(
          t.db,
          id,
          actor?.userId ?? '00000000-0000-0000-0000-000000000000',
        )
        if (!loaded || !messagingPolicy.can(actor, 'read', loaded.resource)) continue
        readable.all.push(id)
        if (loaded.group) readable.groups.push(loaded.group.id)
        else readable.direct.push(id)
      }

      expectParity(role, await listed(role, '/api/tips?filter=all', byId), readableTips)
      expectParity(
        role,
        await listed(role, '/open311/v2/requests.json', (b: { service_request_id: string }[]) =>
          b.map((x) => x.service_request_id),
        ),
        readableTips,
      )
      expectParity(role, await listed(role, '/api/cases', byId), readableCases)
      expectParity(
        role,
        await listed(role, '/api/inbox?filter=all', (b: { conversations: { id: string }[] }) =>
          byId(b.conversations),
        ),
        readable.direct,
      )
      expectParity(
        role,
        await listed(role, '/api/groups', (b: { groups: { id: string }[] }) => byId(b.groups)),
        readable.groups,
      )
      expectParity(
        role,
        await listed(role, '/api/sync?after=0', (b: { messages: { conversationId: string }[] }) => [
          ...new Set(b.messages.map((m) => m.conversationId)),
        ]),
        readable.all,
      )
      await checkAlertsParity(t.db, role, actor, listed, expectParity)
      await checkResidentsParity(role, actor, listed, expectParity)
      await checkMovementsParity(
        role,
        actor,
        listed,
        async (r, url) => {
          const res = await get(r, url)
          return { status: res.statusCode, body: res.body }
        },
        expectParity,
      )
    })
  }
})

describe('the lists behind the dashboard’s figures hold only the viewed unit’s records, for its commanders', () => {
  // Today and the days around it in Vietnam's calendar: the seeded tips and cases were made now.
  const day = (offset: number) =>
    new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)
  const records = (unitId: string, figure: string) =>
    `/api/dashboard/records?unitId=${unitId}&figure=${figure}&from=${day(-1)}&to=${day(1)}`
  for (const role of authzRoles) {
    it(`for ${role}`, async () => {
      const actor = role === 'anonymous' ? null : await actorOf(role)
      for (const ward of [w.ward, w.neighbourWard]) {
        const mayView = dashboardPolicy.can(actor, 'listRecords', ward)
        const inWard = <T extends { areaPath: string }>(rows: T[]) =>
          rows.filter((r) => r.areaPath.startsWith(ward.path))
        for (const [figure, source, allowed] of [
          ['interactions', 'tip', inWard(seeded.tips).filter((r) => tipsPolicy.can(actor, 'read', r))],
          ['open_cases', 'case', inWard(seeded.cases).filter((r) => casesPolicy.can(actor, 'read', r))],
        ] as const) {
          const res = await get(role, records(ward.id, figure))
          if (!mayView) {
            expect([401, 404], `${role} ${figure} of ${ward.name}`).toContain(res.statusCode)
            continue
          }
          expect(res.statusCode, res.body).toBe(200)
          const got = (res.json() as { items: { source: string; id: string }[] }).items
            .filter((i) => i.source === source && wardOf.has(i.id))
            .map((i) => i.id)
          expectParity(role, got, byId(allowed))
          expect(got.length, `${role} sees the ${figure} of ${ward.name}`).toBeGreaterThan(0)
        }
      }
    })
  }
})
