import type { TRealtimeEvent } from '@common/events'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { areaAssignments, auditLog } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import {
  buildArea,
  buildCase,
  buildCommander,
  buildOfficer,
  buildResident,
  buildTip,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { callerFor, key } from '../messaging/messaging.test-support'
import { OFFICER_CHANGE_QUEUE } from './officer-change.job'

/**
 * Security review F12: when an area changed officer, only its open conversations moved; the former
 * officer, who keeps an officer grant on the ward, went on reading the resolved conversation with
 * the resident's details, the tip and the case. Now everything they held in the area follows the
 * new officer, audited, and a commander can hand a case back explicitly.
 */
let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const commanderUser = (await buildCommander(t.db, { unit: ward })).user
  const formerUser = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const nextUser = (await buildOfficer(t.db, { areas: [], unit: ward })).user
  const residentUser = await buildResident(t.db, { area })
  const commander = await callerFor(t, commanderUser)
  const former = await callerFor(t, formerUser)
  const next = await callerFor(t, nextUser)
  const resident = await callerFor(t, residentUser)
  const asked = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Nhà tôi bị mất trộm' })
  const conversationId = asked.body.conversationId as string
  const resolved = await former.patch(`/api/conversations/${conversationId}`, { status: 'resolved' })
  expect(resolved.body).toMatchObject({ status: 'resolved', assignee: { id: formerUser.id } })
  const tip = await buildTip(t.db, { area, assigneeId: formerUser.id, status: 'closed' })
  const kase = await buildCase(t.db, { area, createdById: formerUser.id, assigneeId: formerUser.id })
  return { area, commander, commanderUser, former, formerUser, next, nextUser, conversationId, tip, kase }
}

type World = Awaited<ReturnType<typeof world>>
const reads = (w: World) => [
  `/api/conversations/${w.conversationId}`,
  `/api/conversations/${w.conversationId}/messages`,
  `/api/conversations/${w.conversationId}/context`,
  `/api/tips/${w.tip.id}`,
  `/api/cases/${w.kase.id}`,
]
const statuses = async (caller: World['former'], urls: string[]) =>
  Promise.all(urls.map(async (url) => [url, (await caller.get(url)).status] as const))

describe('a former officer loses what stays in the area (F12)', () => {
  it('moves the resolved conversation, the tip and the case to the new officer, audited', async () => {
    const w = await world()
    expect((await statuses(w.former, reads(w))).every(([, s]) => s === 200)).toBe(true)

    const reassigned = await w.commander.post(`/api/areas/${w.area.id}/assignments`, {
      officerId: w.nextUser.id,
    })
    expect(reassigned.status).toBe(201)

    // The hand-over is a job queued with the assignment, due at once for a change that starts now.
    expect(await t.jobs.drain()).toBeGreaterThan(0)
    expect((await w.next.get(`/api/cases/${w.kase.id}`)).status).toBe(200)
    await expect
      .poll(async () => (await w.next.get(`/api/tips/${w.tip.id}`)).body?.assignee?.id)
      .toBe(w.nextUser.id)
    expect(await statuses(w.next, reads(w))).toEqual(reads(w).map((url) => [url, 200]))
    // Hidden as any record the caller may not read (404, not 403: its existence is not confirmed).
    expect(await statuses(w.former, reads(w))).toEqual(reads(w).map((url) => [url, 404]))

    const handOvers = await t.db
      .select({ action: auditLog.action, entityId: auditLog.entityId, actorRole: auditLog.actorRole })
      .from(auditLog)
      .where(eq(auditLog.unitId, w.area.id))
    expect(handOvers).toEqual(
      expect.arrayContaining([
        { action: 'conversation.hand_over', entityId: w.conversationId, actorRole: 'system' },
        { action: 'tip.hand_over', entityId: w.tip.id, actorRole: 'system' },
        { action: 'case.hand_over', entityId: w.kase.id, actorRole: 'system' },
      ]),
    )
    const timeline = (await w.next.get(`/api/cases/${w.kase.id}`)).body.timeline as { type: string }[]
    expect(timeline.map((e) => e.type)).toContain('assigned')
  })

  it('gives the case back to the former officer when a commander hands it to them', async () => {
    const w = await world()
    await w.commander.post(`/api/areas/${w.area.id}/assignments`, { officerId: w.nextUser.id })
    await t.jobs.drain()
    expect((await w.former.get(`/api/cases/${w.kase.id}`)).status).toBe(404)
    const handed = await w.commander.patch(`/api/cases/${w.kase.id}`, { assigneeId: w.formerUser.id })
    expect(handed.status).toBe(200)
    expect((await w.former.get(`/api/cases/${w.kase.id}`)).status).toBe(200)
    // …and only that case: the tip and the conversation stay with the new officer.
    expect((await w.former.get(`/api/tips/${w.tip.id}`)).status).toBe(404)
    expect((await w.former.get(`/api/conversations/${w.conversationId}/context`)).status).toBe(404)
  })
})

describe('a reassignment planned for a later day', () => {
  it('moves nothing before its start, and hands everything over when the start arrives', async () => {
    const w = await world()
    const heard: TRealtimeEvent[] = []
    const unsubscribe = t.bus.subscribe((e) => {
      if (e.type === 'area.officer_changed' && e.areaId === w.area.id) heard.push(e)
    })
    const nextWeek = new Date(Date.now() + 7 * 86_400_000)
    const planned = await w.commander.post(`/api/areas/${w.area.id}/assignments`, {
      officerId: w.nextUser.id,
      startsAt: nextWeek.toISOString(),
    })
    expect(planned.status).toBe(201)
    // Today the former officer still answers for the area: nothing moves, nothing is announced.
    await t.jobs.drain()
    expect(await statuses(w.former, reads(w))).toEqual(reads(w).map((url) => [url, 200]))
    expect(heard).toEqual([])

    // The start arrives (the area's assignments and the queued job are moved a week back in time).
    await t.db.execute(sql`update area_assignments
      set starts_at = starts_at - interval '7 days', ends_at = ends_at - interval '7 days'
      where area_id = ${w.area.id} and (starts_at > now() or ends_at > now())`)
    await t.db.execute(sql`update jobs set run_at = run_at - interval '7 days'
      where queue = ${OFFICER_CHANGE_QUEUE} and payload->>'areaId' = ${w.area.id}`)
    expect(await t.jobs.drain()).toBeGreaterThan(0)

    expect(await statuses(w.former, reads(w))).toEqual(reads(w).map((url) => [url, 404]))
    expect(await statuses(w.next, reads(w))).toEqual(reads(w).map((url) => [url, 200]))
    expect((await w.next.get(`/api/tips/${w.tip.id}`)).body.assignee.id).toBe(w.nextUser.id)
    // Announced on the day it took effect, to the area's room and both officers.
    expect(heard).toEqual([
      expect.objectContaining({ officerId: w.nextUser.id, previousOfficerId: w.formerUser.id }),
    ])
    expect(heard[0]!.rooms).toEqual(
      expect.arrayContaining([`area:${w.area.id}`, `user:${w.formerUser.id}`, `user:${w.nextUser.id}`]),
    )
    unsubscribe()
  })
})

describe('a reassignment submitted twice (a double tap)', () => {
  const assignments = (areaId: string) =>
    t.db.select().from(areaAssignments).where(eq(areaAssignments.areaId, areaId))

  it('answers both taps with the one assignment when they carry the same Idempotency-Key', async () => {
    const w = await world()
    const session = await signInAs(t.app, w.commanderUser)
    const tap = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/areas/${w.area.id}/assignments`,
        headers: { ...session.headers, 'idempotency-key': 'double-tap-0001' },
        payload: { officerId: w.nextUser.id },
      })
    // The second tap arrives while the first is still running (the web client reuses the key).
    const [first, second] = await Promise.all([tap(), tap()])
    expect([first.statusCode, second.statusCode]).toEqual([201, 201])
    expect(second.json()).toEqual(first.json())
    expect((await assignments(w.area.id)).filter((a) => a.officerId === w.nextUser.id)).toHaveLength(1)
    const audited = await t.db.select().from(auditLog).where(eq(auditLog.action, 'assignment.reassign'))
    expect(audited.filter((a) => a.unitId === w.area.id)).toHaveLength(1)
  })

  it('answers a second submit with a new key with the same assignment, not "already assigned"', async () => {
    const w = await world()
    const url = `/api/areas/${w.area.id}/assignments`
    const first = await w.commander.post(url, { officerId: w.nextUser.id })
    const second = await w.commander.post(url, { officerId: w.nextUser.id })
    expect([first.status, second.status]).toEqual([201, 201])
    expect(second.body).toEqual(first.body)
    expect(first.body.previousOfficerId).toBe(w.formerUser.id)
    expect((await assignments(w.area.id)).filter((a) => a.officerId === w.nextUser.id)).toHaveLength(1)
  })
})
