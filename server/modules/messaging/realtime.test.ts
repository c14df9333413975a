import type { TRealtimeEvent, TServerMessage } from '@common/events'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { buildArea, buildGroup, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { listenForSockets } from '../../test/ws-client'
import { messageRepository } from './message.repository'
import { type Caller, callerFor, key } from './messaging.test-support'
import { syncService } from './sync.service'

let t: TestContext
let wsUrl: string
beforeAll(async () => {
  t = await createTestApp()
  wsUrl = await listenForSockets(t)
})
afterAll(() => t.close())

const bodyOf = (e: TRealtimeEvent) =>
  e.type === 'message.created' || e.type === 'message.updated' ? e.message.body : undefined

/** A signed-in socket that collects events and lets a test wait for the next one matching a predicate. */
async function socketFor(caller: Caller) {
  const ws = new WebSocket(wsUrl, { headers: { cookie: caller.session.headers.cookie } })
  const frames: TServerMessage[] = []
  const waiters: { match: (m: TServerMessage) => boolean; resolve: (m: TServerMessage) => void }[] = []
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString()) as TServerMessage
    const i = waiters.findIndex((w) => w.match(msg))
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(msg)
    else frames.push(msg)
  })
  const next = (match: (m: TServerMessage) => boolean) =>
    new Promise<TServerMessage>((resolve) => {
      const i = frames.findIndex(match)
      if (i >= 0) resolve(frames.splice(i, 1)[0]!)
      else waiters.push({ match, resolve })
    })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  await next((m) => m.type === 'hello')
  const events = () =>
    frames.filter((f) => f.type === 'event').map((f) => (f as { event: TRealtimeEvent }).event)
  const nextEvent = (type: TRealtimeEvent['type'], body?: string) =>
    next(
      (m) => m.type === 'event' && m.event.type === type && (body === undefined || bodyOf(m.event) === body),
    ).then((m) => (m as { event: TRealtimeEvent }).event)
  const subscribe = async (rooms: string[], after?: number) => {
    ws.send(JSON.stringify({ type: 'subscribe', rooms, after }))
    return (await next((m) => m.type === 'subscribed')) as Extract<TServerMessage, { type: 'subscribed' }>
  }
  return { ws, events, nextEvent, subscribe }
}

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = await callerFor(t, (await buildOfficer(t.db, { areas: [area], unit: ward })).user)
  const resident = await callerFor(t, await buildResident(t.db, { area }))
  const stranger = await callerFor(t, await buildResident(t.db, { area }))
  return { officer, resident, stranger }
}

/** The officer answers in the conversation, one message per body, in turn: their ids. */
async function officerAnswers(officer: Caller, conversationId: string, bodies: string[]) {
  const ids: string[] = []
  for (const body of bodies) {
    const res = await officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body,
    })
    ids.push(res.body.message.id)
  }
  return ids
}

describe('messages in real time', () => {
  it('reaches the officer’s inbox without subscribing, and the resident’s thread, after commit', async () => {
    const w = await world()
    const officerSocket = await socketFor(w.officer)
    const question = await w.resident.post('/api/ask/messages', { clientKey: key(), body: 'Câu hỏi mới' })
    const seen = await officerSocket.nextEvent('message.created', 'Câu hỏi mới')
    expect(seen).toMatchObject({
      conversationId: question.body.conversationId,
      position: question.body.message.position,
    })

    const residentSocket = await socketFor(w.resident)
    const sub = await residentSocket.subscribe([`conversation:${question.body.conversationId}`])
    expect(sub.denied).toEqual([])
    await w.officer.post(`/api/conversations/${question.body.conversationId}/messages`, {
      clientKey: key(),
      body: 'Trả lời',
    })
    expect(await residentSocket.nextEvent('message.created', 'Trả lời')).toMatchObject({
      message: { author: { isStaff: true }, seq: 2 },
    })
    officerSocket.ws.close()
    residentSocket.ws.close()
  })

  it('reaches sockets on the retry when the first send committed but lost the database before it was published', async () => {
    const w = await world()
    const officerSocket = await socketFor(w.officer)
    const clientKey = key()
    // The commit went through, then the database went away before the message was numbered in the
    // stream (the first step after the commit; the message is read back by the write itself).
    vi.spyOn(messageRepository, 'sequence').mockRejectedValueOnce(
      new Error('Connection terminated unexpectedly'),
    )
    const first = await w.resident.post('/api/ask/messages', { clientKey, body: 'Gửi lúc mất kết nối' })
    expect(first.status).toBe(503)

    // The outbox sends it again with the same key: stored once, and now the officer sees it.
    const retry = await w.resident.post('/api/ask/messages', { clientKey, body: 'Gửi lúc mất kết nối' })
    expect(retry.status).toBe(200)
    const seen = await officerSocket.nextEvent('message.created', 'Gửi lúc mất kết nối')
    expect(seen).toMatchObject({ message: { id: retry.body.message.id, clientKey } })
    officerSocket.ws.close()
  })

  it('refuses rooms of conversations the caller may not read, and keeps internal notes off residents’ sockets', async () => {
    const w = await world()
    const { body } = await w.resident.post('/api/ask/messages', { clientKey: key(), body: 'Riêng tư' })
    const strangerSocket = await socketFor(w.stranger)
    const denied = await strangerSocket.subscribe([`conversation:${body.conversationId}`])
    expect(denied.denied).toEqual([`conversation:${body.conversationId}`])

    const residentSocket = await socketFor(w.resident)
    const staffRoom = await residentSocket.subscribe([`conversation:${body.conversationId}-staff`])
    expect(staffRoom.rooms).toEqual([])
    await residentSocket.subscribe([`conversation:${body.conversationId}`])
    await w.officer.post(`/api/conversations/${body.conversationId}/messages`, {
      clientKey: key(),
      body: 'Nội bộ',
      internal: true,
    })
    await w.officer.post(`/api/conversations/${body.conversationId}/messages`, {
      clientKey: key(),
      body: 'Công khai',
    })
    await residentSocket.nextEvent('message.created', 'Công khai')
    expect(residentSocket.events().some((e) => bodyOf(e) === 'Nội bộ')).toBe(false)
    strangerSocket.ws.close()
    residentSocket.ws.close()
  })

  it('decides the rooms of sockets subscribing at the same moment each for its own user', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const officer = await buildOfficer(t.db, { areas: [area], unit: ward })
    const member = await buildResident(t.db, { area })
    const outsider = await buildResident(t.db, { area })
    const removed = await buildResident(t.db, { area })
    const { group } = await buildGroup(t.db, { unit: area, owner: officer.user, members: [member, removed] })
    await t.db.execute(
      sql`update group_members set status = 'removed' where group_id = ${group.id} and user_id = ${removed.id}`,
    )
    const { body } = await (await callerFor(t, member)).post('/api/ask/messages', {
      clientKey: key(),
      body: 'Hỏi',
    })
    const sockets = await Promise.all(
      [member, outsider, removed, officer.user].map(async (u) => socketFor(await callerFor(t, u))),
    )
    const room = `group:${group.id}`
    const direct = `conversation:${body.conversationId}`
    // All four ask at once: their subscribes are decided in the same batch.
    const [m, o, l, off] = await Promise.all(sockets.map((s) => s.subscribe([room, direct])))
    expect(m).toMatchObject({ rooms: [room, direct], denied: [] })
    expect(o).toMatchObject({ rooms: [], denied: [room, direct] })
    expect(l).toMatchObject({ rooms: [], denied: [room, direct] })
    expect(off).toMatchObject({ rooms: [room, direct], denied: [] })
    for (const s of sockets) s.ws.close()
  })

  it('gives a client that was offline while 3 messages were sent exactly those 3, in order, on resume', async () => {
    const w = await world()
    const first = await w.resident.post('/api/ask/messages', { clientKey: key(), body: 'Bắt đầu' })
    const conversationId = first.body.conversationId as string
    const socket = await socketFor(w.resident)
    await socket.subscribe([`conversation:${conversationId}`])
    await w.officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Chào chị',
    })
    const last = await socket.nextEvent('message.created', 'Chào chị')
    const cursor = (last as { position: number }).position
    socket.ws.close()

    const sent = await officerAnswers(w.officer, conversationId, ['Một', 'Hai', 'Ba'])
    // Another conversation's traffic meanwhile must not leak into this resident's resume.
    await w.stranger.post('/api/ask/messages', { clientKey: key(), body: 'Người khác' })

    const back = await socketFor(w.resident)
    await back.subscribe([`conversation:${conversationId}`])
    const resumed = await w.resident.get(`/api/sync?after=${cursor}`)
    expect(resumed.status).toBe(200)
    expect(resumed.body.messages.map((m: { id: string }) => m.id)).toEqual(sent)
    expect(resumed.body.messages.map((m: { body: string }) => m.body)).toEqual(['Một', 'Hai', 'Ba'])
    expect(resumed.body.hasMore).toBe(false)
    const again = await w.resident.get(`/api/sync?after=${resumed.body.cursor}`)
    expect(again.body.messages).toEqual([])
    back.ws.close()
  })

  it('answers a resume’s subscribe that gives its cursor with the catch-up: what GET /api/sync answers, read after the rooms were joined', async () => {
    const w = await world()
    const first = await w.resident.post('/api/ask/messages', { clientKey: key(), body: 'Bắt đầu' })
    const conversationId = first.body.conversationId as string
    const cursor = first.body.message.position as number
    const sent = await officerAnswers(w.officer, conversationId, ['Một', 'Hai'])
    await w.stranger.post('/api/ask/messages', { clientKey: key(), body: 'Người khác' })

    const back = await socketFor(w.resident)
    const answer = await back.subscribe([`conversation:${conversationId}`], cursor)
    expect(answer.rooms).toEqual([`conversation:${conversationId}`])
    expect(answer.sync?.messages.map((m) => m.id)).toEqual(sent)
    expect(answer.sync?.hasMore).toBe(false)
    expect(answer.sync).toEqual((await w.resident.get(`/api/sync?after=${cursor}`)).body)
    // From its cursor on, the next message comes live, and a catch-up from it has nothing more.
    await w.officer.post(`/api/conversations/${conversationId}/messages`, { clientKey: key(), body: 'Ba' })
    await back.nextEvent('message.created', 'Ba')
    const again = await w.resident.get(`/api/sync?after=${answer.sync?.cursor}`)
    expect(again.body.messages.map((m: { body: string }) => m.body)).toEqual(['Ba'])
    // The stranger's own resume holds only the stranger's message; without a cursor, no catch-up.
    const other = await socketFor(w.stranger)
    const theirs = await other.subscribe([`conversation:${conversationId}`], cursor)
    expect(theirs).toMatchObject({ rooms: [], denied: [`conversation:${conversationId}`] })
    expect(theirs.sync?.messages.map((m) => m.body)).toEqual(['Người khác'])
    expect('sync' in (await back.subscribe([`conversation:${conversationId}`]))).toBe(false)
    back.ws.close()
    other.ws.close()
  })

  it('answers the subscribe with sync null when the catch-up cannot be read, and the rooms still granted', async () => {
    const w = await world()
    const first = await w.resident.post('/api/ask/messages', { clientKey: key(), body: 'Bắt đầu' })
    const conversationId = first.body.conversationId as string
    const since = vi.spyOn(syncService, 'since').mockRejectedValueOnce(new Error('database busy'))
    try {
      const socket = await socketFor(w.resident)
      const answer = await socket.subscribe([`conversation:${conversationId}`], 0)
      expect(answer).toEqual({
        type: 'subscribed',
        rooms: [`conversation:${conversationId}`],
        denied: [],
        sync: null,
      })
      socket.ws.close()
    } finally {
      since.mockRestore()
    }
  })

  it('replays an edit made while offline as the message’s latest state, once', async () => {
    const w = await world()
    const { body } = await w.resident.post('/api/ask/messages', { clientKey: key(), body: 'Bản đầu' })
    const cursor = body.message.position as number
    await w.resident.patch(`/api/messages/${body.message.id}`, { body: 'Bản sửa' })
    const resumed = await w.officer.get(`/api/sync?after=${cursor}`)
    expect(resumed.body.messages).toHaveLength(1)
    expect(resumed.body.messages[0]).toMatchObject({ id: body.message.id, body: 'Bản sửa' })
  })
})
