import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { areaAssignments, messages } from '../../db/schema/index'
import { buildArea, buildCommander, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { scheduleOfficerChange } from '../organisation/officer-change.job'
import { callerFor, key } from './messaging.test-support'
import { messageRecipients } from './notification-recipients'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const QUESTION =
  'Cho em hỏi con em mới sinh, vợ chồng em đang ở trọ tạm trú ở phường mình thì có làm giấy khai sinh cho cháu ở đây được không ạ, hay phải về quê?'

/** A ward with one area, its officer, its commander, a resident; plus a neighbouring ward's officer. */
async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = await buildOfficer(t.db, { areas: [area], unit: ward })
  const colleague = await buildOfficer(t.db, { unit: ward, areas: [await buildArea(t.db, { parent: ward })] })
  const commander = await buildCommander(t.db, { unit: ward })
  const resident = await buildResident(t.db, { area, displayName: 'Nguyễn Thị Lan' })
  const neighbour = await buildOfficer(t.db)
  return {
    ward,
    area,
    officer: officer.user,
    colleague: colleague.user,
    commander: commander.user,
    resident,
    neighbour: neighbour.user,
  }
}

describe('a resident asks the police of their area', () => {
  it('routes the question to the area officer, answers once per client key, and records the first response', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)

    const before = await resident.get('/api/ask')
    expect(before.status).toBe(200)
    expect(before.body.officer).toMatchObject({
      id: w.officer.id,
      rank: 'Thượng úy',
      officialPhone: w.officer.officialPhone,
    })
    expect(before.body.conversation).toBeNull()

    const clientKey = key()
    const sent = await resident.post('/api/ask/messages', { clientKey, body: QUESTION })
    expect(sent.status).toBe(201)
    const retry = await resident.post('/api/ask/messages', { clientKey, body: QUESTION })
    expect(retry.status).toBe(200)
    expect(retry.body.message.id).toBe(sent.body.message.id)
    const stored = await t.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, sent.body.conversationId))
    expect(stored).toHaveLength(1)

    const inbox = await officer.get('/api/inbox')
    const row = inbox.body.conversations.find((c: { id: string }) => c.id === sent.body.conversationId)
    expect(row).toMatchObject({
      status: 'open',
      resident: { displayName: 'Nguyễn Thị Lan' },
      read: { unread: 1 },
    })
    expect(row.assignee.id).toBe(w.officer.id)
    expect(row.awaitingSince).not.toBeNull()

    const answer = await officer.post(`/api/conversations/${sent.body.conversationId}/messages`, {
      clientKey: key(),
      body: 'Chào chị, chị đăng ký khai sinh cho cháu tại UBND phường nơi vợ chồng chị đang tạm trú được ạ.',
      procedure: { procedureId: 'dang-ky-khai-sinh', title: 'Đăng ký khai sinh' },
    })
    expect(answer.status).toBe(201)
    expect(answer.body.message).toMatchObject({
      kind: 'procedure_card',
      payload: { procedureId: 'dang-ky-khai-sinh' },
    })
    const after = await resident.get(`/api/conversations/${sent.body.conversationId}`)
    expect(after.body.firstResponseAt).not.toBeNull()
    expect(after.body.awaitingSince).toBeNull()
    expect(after.body.read.unread).toBe(1)

    expect(await messageRecipients(t.db, sent.body.message.id)).toEqual([w.officer.id])
    expect(await messageRecipients(t.db, answer.body.message.id)).toEqual([w.resident.id])

    await resident.post(`/api/conversations/${sent.body.conversationId}/read`, { readSeq: 2 })
    const seen = await officer.get(`/api/conversations/${sent.body.conversationId}`)
    expect(seen.body.read.peerReadSeq).toBe(2)
  })

  it('puts the question in the duty queue when nobody covers the area, where the commander sees it', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const commander = await callerFor(t, (await buildCommander(t.db, { unit: ward })).user)
    const resident = await callerFor(t, await buildResident(t.db, { area }))
    const sent = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Xin chào' })
    expect(sent.status).toBe(201)
    const queue = await commander.get('/api/inbox?filter=unassigned')
    expect(queue.body.conversations.map((c: { id: string }) => c.id)).toContain(sent.body.conversationId)
  })

  it('keeps the conversation from other residents and a neighbouring ward (404)', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const sent = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Câu hỏi riêng' })
    const stranger = await callerFor(t, await buildResident(t.db, { area: w.area }))
    const neighbour = await callerFor(t, w.neighbour)
    for (const caller of [stranger, neighbour]) {
      expect((await caller.get(`/api/conversations/${sent.body.conversationId}/messages`)).status).toBe(404)
      const write = await caller.post(`/api/conversations/${sent.body.conversationId}/messages`, {
        clientKey: key(),
        body: 'x',
      })
      expect(write.status).toBe(404)
    }
  })

  it('hides internal notes from the resident, in the thread and in sync', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Hỏi về tạm trú' })
    const start = (await resident.get('/api/sync')).body.cursor
    const note = await officer.post(`/api/conversations/${body.conversationId}/messages`, {
      clientKey: key(),
      body: 'Ghi chú nội bộ: đã xác minh nơi ở',
      internal: true,
    })
    expect(note.status).toBe(201)
    const byResident = await resident.post(`/api/conversations/${body.conversationId}/messages`, {
      clientKey: key(),
      body: 'ghi chú',
      internal: true,
    })
    expect(byResident.status).toBe(403)
    const thread = await resident.get(`/api/conversations/${body.conversationId}/messages`)
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual(['Hỏi về tạm trú'])
    expect((await resident.get(`/api/sync?after=${start}`)).body.messages).toEqual([])
    const staffView = await officer.get(`/api/conversations/${body.conversationId}/messages`)
    expect(staffView.body.messages.map((m: { isInternal: boolean }) => m.isInternal)).toEqual([false, true])
  })

  it('answers a client at the head of the stream with nothing new, then with what is written next', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Cho hỏi' })
    // Many clients at the head ask at once (a reconnect after a restart): one read of the head serves them.
    const head = (await resident.get('/api/sync')).body.cursor as number
    const atHead = await Promise.all(Array.from({ length: 5 }, () => resident.get(`/api/sync?after=${head}`)))
    for (const r of atHead) expect(r.body).toEqual({ messages: [], cursor: head, hasMore: false })
    await officer.post(`/api/conversations/${body.conversationId}/messages`, {
      clientKey: key(),
      body: 'Trả lời',
    })
    const next = await resident.get(`/api/sync?after=${head}`)
    expect(next.body.messages.map((m: { body: string }) => m.body)).toEqual(['Trả lời'])
    expect(next.body.cursor).toBeGreaterThan(head)
    // A cursor past the head (a client of a restored backup) is answered as at the head.
    expect((await resident.get(`/api/sync?after=${next.body.cursor + 1000}`)).body.messages).toEqual([])
  })

  it('lets the author edit within 15 minutes, keeps the earlier text, and refuses later', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)
    const { body } = await resident.post('/api/ask/messages', {
      clientKey: key(),
      body: 'Con em sinh ngày 1/11',
    })
    const edited = await resident.patch(`/api/messages/${body.message.id}`, { body: 'Con em sinh ngày 2/11' })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ body: 'Con em sinh ngày 2/11' })
    expect(edited.body.editedAt).not.toBeNull()
    expect(edited.body.position).toBeGreaterThan(body.message.position)
    const history = await officer.get(`/api/messages/${body.message.id}/history`)
    expect(history.body).toMatchObject([{ action: 'edit', previousBody: 'Con em sinh ngày 1/11' }])
    expect((await officer.patch(`/api/messages/${body.message.id}`, { body: 'sửa hộ' })).status).toBe(403)

    await t.db
      .update(messages)
      .set({ createdAt: sql`now() - interval '16 minutes'` })
      .where(eq(messages.id, body.message.id))
    const late = await resident.del(`/api/messages/${body.message.id}`)
    expect(late.status).toBe(409)
    expect(late.body.detail).toContain('15 phút')
  })

  it('transfers to a colleague with a note kept in the staff timeline, and only to a colleague', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Mất xe máy' })
    const refused = await officer.post(`/api/conversations/${body.conversationId}/transfer`, {
      toUserId: w.neighbour.id,
    })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0].field).toBe('toUserId')
    const moved = await officer.post(`/api/conversations/${body.conversationId}/transfer`, {
      toUserId: w.colleague.id,
      note: 'Anh xử lý giúp, vụ mất xe',
    })
    expect(moved.status).toBe(200)
    expect(moved.body.assignee.id).toBe(w.colleague.id)
    const colleague = await callerFor(t, w.colleague)
    const thread = await colleague.get(`/api/conversations/${body.conversationId}/messages`)
    expect(thread.body.messages.at(-1)).toMatchObject({ kind: 'system', isInternal: true })
    expect(thread.body.messages.at(-1).body).toContain('Anh xử lý giúp')
    const ctx = await colleague.get(`/api/conversations/${body.conversationId}/context`)
    expect(ctx.body.transfers[0]).toMatchObject({
      toName: w.colleague.displayName,
      note: 'Anh xử lý giúp, vụ mất xe',
    })
  })

  it('decides every send on the conversation as it is, when it was handed over after an earlier send', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)
    const colleague = await callerFor(t, w.colleague)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Mất xe máy' })
    const thread = `/api/conversations/${body.conversationId}/messages`
    expect((await officer.post(thread, { clientKey: key(), body: 'Chào chị' })).status).toBe(201)
    // Handed to a colleague of another area: the send read before said they could not answer.
    await officer.post(`/api/conversations/${body.conversationId}/transfer`, { toUserId: w.colleague.id })
    expect((await colleague.post(thread, { clientKey: key(), body: 'Tôi nhận vụ này' })).status).toBe(201)
    // And back: the colleague's last send was allowed, this one is not, and writes nothing.
    await colleague.post(`/api/conversations/${body.conversationId}/transfer`, { toUserId: w.officer.id })
    const count = async () =>
      (await t.db.select().from(messages).where(eq(messages.conversationId, body.conversationId))).length
    const before = await count()
    const refused = await colleague.post(thread, { clientKey: key(), body: 'Còn tôi?' })
    expect(refused.status).toBe(404)
    expect(await count()).toBe(before)
    expect((await officer.post(thread, { clientKey: key(), body: 'Tôi tiếp tục' })).status).toBe(201)
  })

  it('resolves with a resolution time, and reopens when the resident writes again', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Hỏi' })
    const resolved = await officer.patch(`/api/conversations/${body.conversationId}`, {
      status: 'resolved',
      labels: ['procedure', 'procedure'],
    })
    expect(resolved.body).toMatchObject({ status: 'resolved', labels: ['procedure'] })
    expect(resolved.body.resolvedAt).not.toBeNull()
    expect(
      (await resident.patch(`/api/conversations/${body.conversationId}`, { status: 'open' })).status,
    ).toBe(403)
    await resident.post('/api/ask/messages', { clientKey: key(), body: 'Cho em hỏi thêm' })
    expect((await officer.get(`/api/conversations/${body.conversationId}`)).body.status).toBe('open')
  })

  it('audits the officer reading the resident’s details', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Hỏi' })
    const ctx = await officer.get(`/api/conversations/${body.conversationId}/context`)
    expect(ctx.body.resident).toMatchObject({ displayName: 'Nguyễn Thị Lan', phone: w.resident.phone })
    const rows = await queryRows<{ action: string; actor_id: string }>(
      t.db,
      sql`select action, actor_id from audit_log where entity_id = ${w.resident.id}`,
    )
    expect(rows).toContainEqual({ action: 'resident.read', actor_id: w.officer.id })
    expect((await resident.get(`/api/conversations/${body.conversationId}/context`)).status).toBe(403)
  })
})

describe('the officer inbox', () => {
  it('puts overdue conversations first, against the target the unit sets', async () => {
    const w = await world()
    const officer = await callerFor(t, w.officer)
    const commander = await callerFor(t, w.commander)
    const first = await callerFor(t, w.resident)
    const second = await callerFor(t, await buildResident(t.db, { area: w.area }))
    const older = (await first.post('/api/ask/messages', { clientKey: key(), body: 'Câu hỏi cũ' })).body
      .conversationId
    const newer = (await second.post('/api/ask/messages', { clientKey: key(), body: 'Câu hỏi mới' })).body
      .conversationId
    await t.db.execute(
      sql`update conversations set awaiting_since = now() - interval '20 minutes' where id = ${older}`,
    )
    let inbox = (await officer.get('/api/inbox')).body.conversations
    expect(inbox.find((c: { id: string }) => c.id === older).overdue).toBe(false)

    const put = (session: typeof officer) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/units/${w.ward.id}/messaging-settings`,
        headers: session.session.headers,
        payload: { firstResponseTargetMinutes: 15 },
      })
    expect((await put(officer)).statusCode).toBe(403)
    const set = await t.app.inject({
      method: 'PUT',
      url: `/api/units/${w.ward.id}/messaging-settings`,
      headers: commander.session.headers,
      payload: { firstResponseTargetMinutes: 15 },
    })
    expect(set.statusCode).toBe(200)
    inbox = (await officer.get('/api/inbox')).body.conversations
    expect(inbox.map((c: { id: string }) => c.id).slice(0, 2)).toEqual([older, newer])
    expect(inbox[0].overdue).toBe(true)
  })

  it('finds conversations with or without diacritics', async () => {
    const w = await world()
    const officer = await callerFor(t, w.officer)
    const resident = await callerFor(t, w.resident)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: QUESTION })
    for (const q of ['giấy khai sinh', 'giay khai sinh', 'GIAY KHAI SINH', 'nguyen thi lan']) {
      const found = (await officer.get(`/api/inbox?q=${encodeURIComponent(q)}`)).body.conversations
      expect(
        found.map((c: { id: string }) => c.id),
        q,
      ).toContain(body.conversationId)
    }
    expect((await officer.get('/api/inbox?q=xe%20may%20bi%20mat')).body.conversations).toEqual([])
  })

  it('fills canned replies with the resident’s and the officer’s names', async () => {
    const w = await world()
    const officer = await callerFor(t, w.officer)
    const resident = await callerFor(t, w.resident)
    const created = await officer.post('/api/canned-replies', {
      unitId: w.ward.id,
      title: 'Chào hỏi',
      body: 'Chào {resident_name}, tôi là {officer_name}.',
    })
    expect(created.status).toBe(201)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Hỏi' })
    const replies = await officer.get(`/api/conversations/${body.conversationId}/canned-replies`)
    expect(replies.body).toContainEqual(
      expect.objectContaining({
        title: 'Chào hỏi',
        body: `Chào Nguyễn Thị Lan, tôi là ${w.officer.displayName}.`,
      }),
    )
    expect(
      (await resident.post('/api/canned-replies', { unitId: w.ward.id, title: 'x1', body: 'y1' })).status,
    ).toBe(403)
  })

  it('moves open conversations to the new officer when the area changes officer', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Hỏi' })
    const successor = await buildOfficer(t.db, { unit: w.ward, areas: [] })
    await t.db
      .update(areaAssignments)
      .set({ endsAt: new Date() })
      .where(eq(areaAssignments.areaId, w.area.id))
    await t.db.insert(areaAssignments).values({ officerId: successor.user.id, areaId: w.area.id })
    // What the organisation module queues with a reassignment, run when it takes effect.
    await scheduleOfficerChange(
      t.jobs,
      t.db,
      { areaId: w.area.id, previousOfficerId: w.officer.id, at: new Date().toISOString(), planned: false },
      `conversations-test:${w.area.id}`,
    )
    await t.jobs.drain()
    const newOfficer = await callerFor(t, successor.user)
    expect((await newOfficer.get(`/api/conversations/${body.conversationId}`)).body?.assignee?.id).toBe(
      successor.user.id,
    )
    expect(
      (await (await callerFor(t, w.officer)).get(`/api/conversations/${body.conversationId}`)).status,
    ).toBe(404)
  })
})
