import type { TRealtimeEvent } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildArea, buildGroup, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { callerFor, key } from './messaging.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const resident = await buildResident(t.db, { area, displayName: 'Trần Văn Bình' })
  const leader = await buildResident(t.db, { area, displayName: 'Tổ trưởng Hoa' })
  const g = await buildGroup(t.db, { unit: area, owner: officer, members: [resident, leader] })
  return { ward, area, officer, resident, leader, ...g }
}

function recordEvents() {
  const seen: TRealtimeEvent[] = []
  const stop = t.bus.subscribe((e) => {
    if ('rooms' in e) seen.push(e)
  })
  return { seen, stop }
}

describe("residents' questions in groups reach the officers' inbox", () => {
  it('a resident asks the police in the group: the officer is mentioned, is told live, and a reply answers it', async () => {
    const w = await world()
    const resident = await callerFor(t, w.resident)
    const officer = await callerFor(t, w.officer)
    const events = recordEvents()
    const asked = await resident.post(`/api/conversations/${w.conversation.id}/messages`, {
      clientKey: key(),
      body: 'Cho tôi hỏi bình chữa cháy mini đặt ở tầng mấy ạ?',
      askPolice: true,
    })
    expect(asked.status).toBe(201)
    expect(asked.body.message.mentions).toEqual([w.officer.id])
    // A plain group message is not a question for the police.
    await resident.post(`/api/conversations/${w.conversation.id}/messages`, {
      clientKey: key(),
      body: 'Cảm ơn cả nhà',
    })
    const open = await officer.get('/api/group-questions')
    expect(open.status).toBe(200)
    expect(open.body.questions).toHaveLength(1)
    expect(open.body.questions[0]).toMatchObject({
      messageId: asked.body.message.id,
      groupId: w.group.id,
      groupName: w.group.name,
      authorName: 'Trần Văn Bình',
      reason: 'mention',
      excerpt: 'Cho tôi hỏi bình chữa cháy mini đặt ở tầng mấy ạ?',
    })
    const told = events.seen.find((e) => e.type === 'group_question.changed')
    expect(told?.rooms).toContain(`user:${w.officer.id}`)

    // An officer of another ward neither sees it nor can close it.
    const stranger = await callerFor(t, (await buildOfficer(t.db)).user)
    expect((await stranger.get('/api/group-questions')).body.questions).toEqual([])
    const questionId = open.body.questions[0].id
    expect((await stranger.post(`/api/group-questions/${questionId}/answered`)).status).toBe(404)

    const answer = await officer.post(`/api/conversations/${w.conversation.id}/messages`, {
      clientKey: key(),
      body: 'Chào anh Bình, nên đặt ở tầng 1 gần lối ra.',
      replyToId: asked.body.message.id,
    })
    expect(answer.status).toBe(201)
    expect((await officer.get('/api/group-questions')).body.questions).toEqual([])
    expect(events.seen.filter((e) => e.type === 'group_question.changed').at(-1)).toMatchObject({
      answered: true,
    })
    events.stop()
  })

  it('a moderator passes a message on to the police once; a member cannot; the officer marks it answered', async () => {
    const w = await world()
    const officer = await callerFor(t, w.officer)
    await officer.patch(`/api/groups/${w.group.id}/members/${w.leader.id}`, { role: 'moderator' })
    const resident = await callerFor(t, w.resident)
    const leader = await callerFor(t, w.leader)
    const posted = await resident.post(`/api/conversations/${w.conversation.id}/messages`, {
      clientKey: key(),
      body: 'Đêm qua có người lạ đi từng nhà hỏi mua đồ cũ',
    })
    expect((await resident.post(`/api/messages/${posted.body.message.id}/ask-police`)).status).toBe(403)
    expect((await leader.post(`/api/messages/${posted.body.message.id}/ask-police`)).status).toBe(204)
    expect((await leader.post(`/api/messages/${posted.body.message.id}/ask-police`)).status).toBe(204)
    const open = (await officer.get('/api/group-questions')).body.questions
    expect(open).toHaveLength(1)
    expect(open[0]).toMatchObject({ messageId: posted.body.message.id, reason: 'moderator' })
    expect((await officer.post(`/api/group-questions/${open[0].id}/answered`)).status).toBe(204)
    expect((await officer.get('/api/group-questions')).body.questions).toEqual([])
  })
})
