import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../db/schema/index'
import { buildArea, buildWard } from '../../../test/factories/index'
import { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { callerFor, key } from '../messaging.test-support'
import {
  deliverZalo,
  drainJobs,
  type ZaloWorld,
  zaloEvent,
  zaloUser,
  zaloWorld,
} from './zalo-webhook.test-support'

let t: TestContext
const zalo = new FakeZaloApi()
beforeAll(async () => {
  const url = await zalo.start()
  t = await createTestApp({ ZALO_OPENAPI_URL: url, ZALO_OAUTH_URL: url })
})
afterAll(async () => {
  await t.close()
  await zalo.stop()
})

interface InboxRow {
  id: string
  channel: string
  areaId: string | null
  assignee: { id: string } | null
}

/** A Zalo user who never said where they live writes twice; returns the commander's queue row. */
async function unknownContactWrites(w: ZaloWorld) {
  const userId = zaloUser()
  await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text: 'Nhà bên cạnh cãi nhau to quá' }))
  await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text: 'Em ở gần chợ ạ' }))
  await drainJobs(t)
  const commander = await callerFor(t, w.commander)
  const queue = (await commander.get('/api/inbox?filter=unassigned')).body.conversations as InboxRow[]
  return { userId, commander, queue }
}

describe("choosing an unknown contact's area", () => {
  it("puts the message in the unit's queue, and the commander's choice sends it to the area officer's inbox", async () => {
    const w = await zaloWorld(t, zalo)
    const { userId, commander, queue } = await unknownContactWrites(w)
    // In the ward's queue at once, not waiting for the person to answer the area question.
    expect(queue).toHaveLength(1)
    const queued = queue[0]!
    expect(queued.channel).toBe('zalo')
    expect(queued.assignee).toBeNull()
    const officer = await callerFor(t, w.officer)
    expect((await officer.get('/api/inbox')).body.conversations).toHaveLength(0)

    const options = await commander.get(`/api/conversations/${queued.id}/contact-area`)
    expect(options.status).toBe(200)
    expect(options.body).toEqual({ needsArea: true, areas: [{ id: w.area.id, name: 'Tổ dân phố 3' }] })

    const chosen = await commander.put(`/api/conversations/${queued.id}/contact-area`, { areaId: w.area.id })
    expect(chosen.status).toBe(200)
    const mine = (await officer.get('/api/inbox')).body.conversations as InboxRow[]
    expect(mine.map((c) => c.id)).toEqual([chosen.body.conversationId])
    expect(mine[0]!.assignee?.id).toBe(w.officer.id)
    const thread = await officer.get(`/api/conversations/${mine[0]!.id}/messages`)
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'Nhà bên cạnh cãi nhau to quá',
      'Em ở gần chợ ạ',
    ])
    expect((await commander.get('/api/inbox?filter=unassigned')).body.conversations).toHaveLength(0)
    // Filed once: the picker is gone, a second choice is refused.
    expect((await commander.get(`/api/conversations/${queued.id}/contact-area`)).body.needsArea).toBe(false)
    expect(
      (await commander.put(`/api/conversations/${queued.id}/contact-area`, { areaId: w.area.id })).status,
    ).toBe(409)
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'channel.contact_area'), eq(auditLog.actorId, w.commander.id)))
    expect(audited).toHaveLength(1)

    // Their next message goes straight to the area officer.
    await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text: 'Cảm ơn anh' }))
    await drainJobs(t)
    const after = await officer.get(`/api/conversations/${mine[0]!.id}/messages`)
    expect(after.body.messages.at(-1).body).toBe('Cảm ơn anh')
  })

  it("refuses an area of another ward, and the area officer cannot file someone else's queue", async () => {
    const w = await zaloWorld(t, zalo)
    const { commander, queue } = await unknownContactWrites(w)
    const elsewhere = await buildArea(t.db, { parent: await buildWard(t.db) })
    const refused = await commander.put(`/api/conversations/${queue[0]!.id}/contact-area`, {
      areaId: elsewhere.id,
    })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0].field).toBe('areaId')
    const officer = await callerFor(t, w.officer)
    const hidden = await officer.put(`/api/conversations/${queue[0]!.id}/contact-area`, { areaId: w.area.id })
    expect(hidden.status).toBe(404)
    // Nothing moved.
    expect((await commander.get('/api/inbox?filter=unassigned')).body.conversations).toHaveLength(1)
  })

  it('also files the queue when the person answers the area question in Zalo', async () => {
    const w = await zaloWorld(t, zalo)
    const { userId, queue } = await unknownContactWrites(w)
    await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text: `AREA:${w.area.slug}` }))
    await drainJobs(t)
    const officer = await callerFor(t, w.officer)
    const mine = (await officer.get('/api/inbox')).body.conversations as InboxRow[]
    expect(mine.map((c) => c.id)).toEqual([queue[0]!.id])
    const reply = await officer.post(`/api/conversations/${queue[0]!.id}/messages`, {
      clientKey: key(),
      body: 'Dạ',
    })
    expect(reply.status).toBe(201)
  })
})
