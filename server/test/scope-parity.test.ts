import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { users } from '../db/schema/index'
import { commandsPath, isAdmin } from '../lib/actor'
import { checkAlertsParity, seedAlertsParity } from '../modules/alerts/alerts.parity'
import { loadActor } from '../modules/auth/actor.repository'
import { dashboardPolicy } from '../modules/dashboard/dashboard.policy'
import { checkCannedRepliesParity, seedCannedRepliesParity } from '../modules/messaging/canned-replies.parity'
import { conversationRepository } from '../modules/messaging/conversation.repository'
import { messagingPolicy } from '../modules/messaging/messaging.policy'
import {
  checkMovementsParity,
  seededReports,
  seedMovementsParity,
} from '../modules/movements/movements.parity'
import { movementsPolicy } from '../modules/movements/movements.policy'
import {
  checkOfficerPhotosParity,
  seedOfficerPhotosParity,
} from '../modules/officer-photos/officer-photos.parity'
import { organisationPolicy } from '../modules/organisation/organisation.policy'
import { checkResidentsParity, seedResidentsParity } from '../modules/residents/residents.parity'
import { retentionPolicy } from '../modules/retention/retention.policy'
import { checkScamNumbersParity, seedScamNumbersParity } from '../modules/scam-numbers/scam-numbers.parity'
import { casesPolicy, tipsPolicy } from '../modules/tips/tips.policy'
import { signInAs, type TestSession } from './auth-helpers'
import { type AuthzWorld, authzRoles, buildAuthzWorld, signInWorld } from './authz-matrix'
import {
  buildCase,
  buildCommander,
  buildDirectConversation,
  buildEvidence,
  buildGroup,
  buildGroupQuestion,
  buildMessage,
  buildMessengerAccount,
  buildResident,
  buildTip,
} from './factories/index'
import { createTestApp, type TestContext } from './test-app'
import { listenForSockets, openTestSocket } from './ws-client'

/**
 * Scope parity: on the authorisation world (9 callers, two wards), every list endpoint returns
 * exactly the seeded records its policy lets the caller read, and nothing of the other ward.
 * A list query that skips its policy's `scopes` fails here.
 */

let t: TestContext
let w: AuthzWorld
let sessions: Record<string, TestSession | null>
/** A commander of the province above both wards: a parent unit sees each child's records. */
let provinceCommander: { id: string }
const callers = [...authzRoles, 'commanderProvince'] as const
type Caller = (typeof callers)[number]
/** Residents known to be reached (signed in), by ward: the records of the "households" figure. */
const reachedResidents: { id: string; ward: 'home' | 'neighbour' }[] = []
/** One connected Messenger Page per ward (GET /api/units/:id/channels). */
const channelAccountOf = new Map<string, string>()
const wardOf = new Map<string, 'home' | 'neighbour'>()
const seeded = {
  tips: [] as { id: string; areaPath: string; assigneeId: string | null; submitterId: string | null }[],
  cases: [] as { id: string; areaPath: string; assigneeId: string | null }[],
  conversations: [] as string[],
  groupQuestions: [] as { id: string; unitPath: string }[],
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
    const asked = await buildMessage(t.db, { conversation: gc, author: groupOwner })
    const question = await buildGroupQuestion(t.db, { group: { group, m: asked } })
    seeded.groupQuestions.push({ id: question.id, unitPath: question.unitPath })
    wardOf.set(question.id, ward)
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
  // Tip files in both wards, for the storage page (GET /api/admin/storage lists units holding them).
  for (const ward of ['home', 'neighbour'] as const) {
    const tip = seeded.tips.find((r) => wardOf.get(r.id) === ward)!
    await buildEvidence(t.db, {
      tipId: tip.id,
      storageKey: `parity/${tip.id}`,
      sha256: 'ab'.repeat(32),
      size: 1000,
    })
  }
  for (const ward of [w.ward, w.neighbourWard]) {
    const { account } = await buildMessengerAccount(t.db, t.app.deps.config.CHANNEL_SECRET_KEY, {
      unit: ward,
    })
    channelAccountOf.set(ward.id, account.id)
  }
  await seedScamNumbersParity(t.db, w, wardOf)
  await seedCannedRepliesParity(t.db, w, wardOf)
  await seedOfficerPhotosParity(t.app, w, wardOf)
  sessions = await signInWorld(t.app, w)
  provinceCommander = (await buildCommander(t.db, { unit: w.province })).user
  sessions.commanderProvince = await signInAs(t.app, provinceCommander as { id: string; kind: 'staff' })
  // Signed in, so "reached": the home ward's residents were by signInWorld; one of the neighbour's now.
  const neighbourResident = await buildResident(t.db, { area: w.neighbourArea })
  await signInAs(t.app, neighbourResident)
  reachedResidents.push(
    ...[w.users.resident, w.users.residentOtherArea, w.users.moderator].map((r) => ({
      id: r.id,
      ward: 'home' as const,
    })),
    { id: neighbourResident.id, ward: 'neighbour' },
  )
}, 120_000)

afterAll(async () => {
  await t.close()
})

async function actorOf(role: Exclude<Caller, 'anonymous'>) {
  const id = role === 'commanderProvince' ? provinceCommander.id : w.users[role].id
  const [row] = await t.db.select().from(users).where(eq(users.id, id))
  return loadActor(t.db, row!, 'parity')
}

async function get(role: string, url: string) {
  const s = sessions[role]
  return t.app.inject({ method: 'GET', url, headers: s ? s.headers : {} })
}

/** The status and body of a read, for the checks that are not lists. */
async function read(role: string, url: string) {
  const res = await get(role, url)
  return { status: res.statusCode, body: res.body }
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
  for (const role of callers) {
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
      expectParity(
        role,
        await listed(role, '/api/group-questions', (b: { questions: { id: string }[] }) => byId(b.questions)),
        seeded.groupQuestions
          .filter((q) => messagingPolicy.can(actor, 'answerGroupQuestion', q))
          .map((q) => q.id),
      )
      await checkAlertsParity(t.db, role, actor, listed, expectParity, read)
      await checkOfficerPhotosParity(t.db, role, actor, listed, expectParity)
      await checkResidentsParity(role, actor, listed, expectParity)
      await checkScamNumbersParity(role, actor, listed, expectParity)
      await checkCannedRepliesParity(role, actor, listed, expectParity)
      await checkMovementsParity(role, actor, listed, read, expectParity)
    })
  }
})

describe('the lists behind the dashboard’s figures hold only the viewed unit’s records, for its commanders', () => {
  // Today and the days around it in Vietnam's calendar: the seeded tips and cases were made now.
  const day = (offset: number) =>
    new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)
  const records = (unitId: string, figure: string) =>
    `/api/dashboard/records?unitId=${unitId}&figure=${figure}&from=${day(-1)}&to=${day(1)}`
  for (const role of callers) {
    it(`for ${role}`, async () => {
      const actor = role === 'anonymous' ? null : await actorOf(role)
      const reached = new Set(reachedResidents.map((r) => r.id))
      for (const ward of [w.ward, w.neighbourWard]) {
        const mayView = dashboardPolicy.can(actor, 'listRecords', ward)
        const inWard = <T extends { areaPath: string }>(rows: T[]) =>
          rows.filter((r) => r.areaPath.startsWith(ward.path))
        const wardName = ward.id === w.ward.id ? 'home' : 'neighbour'
        for (const [figure, source, allowed] of [
          ['interactions', 'tip', byId(inWard(seeded.tips).filter((r) => tipsPolicy.can(actor, 'read', r)))],
          ['open_cases', 'case', byId(inWard(seeded.cases).filter((r) => casesPolicy.can(actor, 'read', r)))],
          // The people behind "households reached" (signed in) and "movements" (residence reports).
          ['households', 'resident', reachedResidents.filter((r) => r.ward === wardName).map((r) => r.id)],
          [
            'movements',
            'residence_report',
            byId(inWard(seededReports()).filter((r) => movementsPolicy.can(actor, 'read', r))),
          ],
        ] as const) {
          const res = await get(role, records(ward.id, figure))
          if (!mayView) {
            expect([401, 404], `${role} ${figure} of ${ward.name}`).toContain(res.statusCode)
            continue
          }
          expect(res.statusCode, res.body).toBe(200)
          const got = (res.json() as { items: { source: string; id: string }[] }).items
            .filter((i) => i.source === source && (wardOf.has(i.id) || reached.has(i.id)))
            .map((i) => i.id)
          expectParity(role, got, [...allowed])
          expect(got.length, `${role} sees the ${figure} of ${ward.name}`).toBeGreaterThan(0)
        }
      }
    })
  }
})

describe('the unit lists of the administration pages hold only the units the caller commands', () => {
  for (const role of callers) {
    it(`for ${role}`, async () => {
      const actor = role === 'anonymous' ? null : await actorOf(role)
      const commanded = [w.ward, w.neighbourWard].filter((u) => isAdmin(actor) || commandsPath(actor, u.path))
      const wardIds = new Set([w.ward.id, w.neighbourWard.id])
      // Where the staff unit tree starts: the top-most units the caller may read.
      const tree = [w.province, w.ward, w.area, w.otherArea, w.neighbourWard, w.neighbourArea]
      const units = await get(role, '/api/units')
      if (organisationPolicy.can(actor, 'listUnits')) {
        expect(units.statusCode, units.body).toBe(200)
        const readable = tree.filter((u) => organisationPolicy.can(actor, 'readUnit', u))
        const roots = readable.filter((u) => !readable.some((o) => o !== u && u.path.startsWith(o.path)))
        const got = byId((units.json() as { units: { id: string }[] }).units).filter((id) =>
          tree.some((u) => u.id === id),
        )
        expect(new Set(got), `${role} unit roots`).toEqual(new Set(byId(roots)))
      } else expect([401, 403], `${role} unit roots`).toContain(units.statusCode)
      // Tip storage per unit (F9): administrators every unit, commanders theirs, nobody else.
      const storage = await get(role, '/api/admin/storage')
      if (retentionPolicy.can(actor, 'readStorage')) {
        expect(storage.statusCode, storage.body).toBe(200)
        const listedUnits = (storage.json() as { items: { unitId: string }[] }).items
          .map((u) => u.unitId)
          .filter((id) => wardIds.has(id))
        const allowed = [w.ward, w.neighbourWard].filter((u) =>
          retentionPolicy.can(actor, 'readUnitStorage', u),
        )
        expect(new Set(listedUnits), role).toEqual(new Set(byId(allowed)))
      } else expect([401, 403], `${role} storage`).toContain(storage.statusCode)
      // A ward's connected Zalo OA / Facebook Page: its commanders (and those above), administrators.
      for (const ward of [w.ward, w.neighbourWard]) {
        const res = await get(role, `/api/units/${ward.id}/channels`)
        if (!commanded.includes(ward)) {
          expect([401, 403, 404], `${role} channels of ${ward.name}`).toContain(res.statusCode)
          continue
        }
        expect(res.statusCode, res.body).toBe(200)
        const accounts = (res.json() as { accounts: { id: string }[] }).accounts
        expect(byId(accounts), `${role} channels of ${ward.name}`).toEqual([channelAccountOf.get(ward.id)])
      }
    })
  }
})

describe('the unit rooms (unit:<id>) a socket may join are exactly those the policy lets it listen to', () => {
  let url = ''
  beforeAll(async () => {
    url = await listenForSockets(t)
  })
  for (const role of callers) {
    it(`for ${role}`, async () => {
      const actor = role === 'anonymous' ? null : await actorOf(role)
      const tree = [w.province, w.ward, w.area, w.otherArea, w.neighbourWard, w.neighbourArea]
      const socket = await openTestSocket(url, sessions[role]?.headers.cookie)
      try {
        const answer = await socket.subscribe(tree.map((u) => `unit:${u.id}`))
        const allowed = tree.filter((u) => organisationPolicy.can(actor, 'listenUnit', u))
        expect(new Set(answer.rooms), `${role} unit rooms`).toEqual(
          new Set(allowed.map((u) => `unit:${u.id}`)),
        )
      } finally {
        socket.ws.close()
      }
    })
  }
})
