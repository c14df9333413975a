import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../db/schema/index'
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
  return { area, commander, former, formerUser, next, nextUser, conversationId, tip, kase }
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

    // The hand-over runs on the event after commit: wait until the new officer holds the case.
    await expect.poll(async () => (await w.next.get(`/api/cases/${w.kase.id}`)).status).toBe(200)
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
    await expect.poll(async () => (await w.former.get(`/api/cases/${w.kase.id}`)).status).toBe(404)
    const handed = await w.commander.patch(`/api/cases/${w.kase.id}`, { assigneeId: w.formerUser.id })
    expect(handed.status).toBe(200)
    expect((await w.former.get(`/api/cases/${w.kase.id}`)).status).toBe(200)
    // …and only that case: the tip and the conversation stay with the new officer.
    expect((await w.former.get(`/api/tips/${w.tip.id}`)).status).toBe(404)
    expect((await w.former.get(`/api/conversations/${w.conversationId}/context`)).status).toBe(404)
  })
})
