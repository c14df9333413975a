import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { buildArea, buildOfficer, buildResident, buildWard, grantRole } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { callerFor, key } from './messaging.test-support'
import { messageRecipients } from './notification-recipients'

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
  const outsider = await buildResident(t.db)
  return { ward, area, officer, resident, leader, outsider }
}

async function residentialGroup(w: Awaited<ReturnType<typeof world>>, extra: Record<string, unknown> = {}) {
  const officer = await callerFor(t, w.officer)
  const created = await officer.post('/api/groups', {
    kind: 'residential_area',
    unitId: w.area.id,
    name: 'Nhóm cư dân tổ dân phố',
    description: 'Trao đổi về an ninh trật tự',
    ...extra,
  })
  expect(created.status).toBe(201)
  const invite = await officer.get(`/api/groups/${created.body.id}/invite`)
  return { officer, group: created.body, code: invite.body.code as string, invite: invite.body }
}

describe('community groups', () => {
  it('lets an officer create a group for their area with an invite link and QR code; residents cannot', async () => {
    const w = await world()
    const { group, invite } = await residentialGroup(w)
    expect(group).toMatchObject({
      kind: 'residential_area',
      myRole: 'owner',
      memberCount: 1,
      joinPolicy: 'approval',
    })
    expect(invite.url).toMatch(new RegExp(`/groups/join/${invite.code}$`))
    expect(invite.qrSvg).toMatch(/^<svg/)
    const resident = await callerFor(t, w.resident)
    const refused = await resident.post('/api/groups', {
      kind: 'custom',
      unitId: w.area.id,
      name: 'Nhóm của tôi',
    })
    expect(refused.status).toBe(403)
    const neighbour = await callerFor(t, (await buildOfficer(t.db)).user)
    expect(
      (await neighbour.post('/api/groups', { kind: 'custom', unitId: w.area.id, name: 'Không được' })).status,
    ).toBe(403)
  })

  it('admits a resident after approval; before that the resident can neither read nor post', async () => {
    const w = await world()
    const { officer, group, code } = await residentialGroup(w)
    const resident = await callerFor(t, w.resident)
    const joined = await resident.post('/api/groups/join', { code })
    expect(joined.body).toMatchObject({ myStatus: 'pending' })
    expect((await resident.get(`/api/conversations/${group.conversationId}/messages`)).status).toBe(404)
    expect(
      (
        await resident.post(`/api/conversations/${group.conversationId}/messages`, {
          clientKey: key(),
          body: 'Chào',
        })
      ).status,
    ).toBe(404)
    const approve = await officer.patch(`/api/groups/${group.id}/members/${w.resident.id}`, {
      status: 'active',
    })
    expect(approve.body.status).toBe('active')
    const post = await resident.post(`/api/conversations/${group.conversationId}/messages`, {
      clientKey: key(),
      body: 'Chào',
    })
    expect(post.status).toBe(201)
    expect((await resident.post('/api/groups/join', { code: 'khongcoma99' })).status).toBe(404)
  })

  it('joins an open group at once; in an announcement group only staff and moderators post', async () => {
    const w = await world()
    const { officer, group, code } = await residentialGroup(w, {
      joinPolicy: 'open',
      postingPolicy: 'staff_and_moderators',
    })
    const resident = await callerFor(t, w.resident)
    expect((await resident.post('/api/groups/join', { code })).body.myStatus).toBe('active')
    const advice = await officer.post(`/api/conversations/${group.conversationId}/messages`, {
      clientKey: key(),
      body: 'Khuyến cáo phòng cháy: không sạc xe điện qua đêm trong nhà.',
    })
    expect(advice.status).toBe(201)
    const refused = await resident.post(`/api/conversations/${group.conversationId}/messages`, {
      clientKey: key(),
      body: 'Hỏi',
    })
    expect(refused.status).toBe(403)
    const thread = await resident.get(`/api/conversations/${group.conversationId}/messages`)
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual([advice.body.message.body])
  })

  it("counts a new member's unread messages from when they joined, and says when the group last spoke", async () => {
    const w = await world()
    const { officer, group, code } = await residentialGroup(w, { joinPolicy: 'open' })
    const send = (body: string) =>
      officer.post(`/api/conversations/${group.conversationId}/messages`, { clientKey: key(), body })
    await send('Tin cũ trước khi chị Bình vào nhóm')
    const resident = await callerFor(t, w.resident)
    await resident.post('/api/groups/join', { code })
    const mine = async () =>
      ((await resident.get('/api/groups')).body.groups as { id: string }[]).find((g) => g.id === group.id)
    expect(await mine()).toMatchObject({ read: { unread: 0 } })
    const news = await send('Tối nay 20 giờ họp tổ dân phố về phòng cháy')
    expect(await mine()).toMatchObject({ read: { unread: 1 }, lastMessageAt: news.body.message.createdAt })
    await resident.post(`/api/conversations/${group.conversationId}/read`, { readSeq: news.body.message.seq })
    expect(await mine()).toMatchObject({ read: { unread: 0 } })
  })

  it('hides an off-topic message with a reason: members lose the text, moderators keep it, the reason is kept', async () => {
    const w = await world()
    const { officer, group, code } = await residentialGroup(w, { joinPolicy: 'open' })
    const resident = await callerFor(t, w.resident)
    const leader = await callerFor(t, w.leader)
    await resident.post('/api/groups/join', { code })
    await leader.post('/api/groups/join', { code })
    await officer.patch(`/api/groups/${group.id}/members/${w.leader.id}`, { role: 'moderator' })
    const spam = await resident.post(`/api/conversations/${group.conversationId}/messages`, {
      clientKey: key(),
      body: 'Bán đất nền giá rẻ, liên hệ ngay',
    })
    expect(
      (await resident.post(`/api/messages/${spam.body.message.id}/hide`, { reason: 'Quảng cáo' })).status,
    ).toBe(403)
    const report = await resident.post(`/api/messages/${spam.body.message.id}/report`, { reason: 'Tin rác' })
    expect(report.status).toBe(204)
    const hidden = await leader.post(`/api/messages/${spam.body.message.id}/hide`, {
      reason: 'Quảng cáo, không đúng chủ đề',
    })
    expect(hidden.status).toBe(200)
    expect(hidden.body).toMatchObject({
      body: 'Bán đất nền giá rẻ, liên hệ ngay',
      hidden: { reason: 'Quảng cáo, không đúng chủ đề' },
    })
    const asMember = await resident.get(`/api/conversations/${group.conversationId}/messages`)
    expect(asMember.body.messages[0]).toMatchObject({
      body: '',
      hidden: { reason: 'Quảng cáo, không đúng chủ đề' },
    })
    const reports = await leader.get(`/api/groups/${group.id}/reports`)
    expect(reports.body[0]).toMatchObject({ reason: 'Tin rác', messageHidden: true })
  })

  it('mutes and removes members; a removed member cannot rejoin with the code', async () => {
    const w = await world()
    const { officer, group, code } = await residentialGroup(w, { joinPolicy: 'open' })
    const resident = await callerFor(t, w.resident)
    await resident.post('/api/groups/join', { code })
    await officer.patch(`/api/groups/${group.id}/members/${w.resident.id}`, {
      status: 'muted',
      mutedMinutes: 60,
    })
    const muted = await resident.post(`/api/conversations/${group.conversationId}/messages`, {
      clientKey: key(),
      body: 'x',
    })
    expect(muted.status).toBe(403)
    expect((await resident.get(`/api/conversations/${group.conversationId}/messages`)).status).toBe(200)
    await officer.patch(`/api/groups/${group.id}/members/${w.resident.id}`, { status: 'removed' })
    expect((await resident.get(`/api/conversations/${group.conversationId}/messages`)).status).toBe(404)
    expect((await resident.post('/api/groups/join', { code })).status).toBe(403)
  })

  it('stops a member who left from sending or reading at once; rejoining lets them write again', async () => {
    const w = await world()
    const { group, code } = await residentialGroup(w, { joinPolicy: 'open' })
    const resident = await callerFor(t, w.resident)
    await resident.post('/api/groups/join', { code })
    const url = `/api/conversations/${group.conversationId}/messages`
    expect((await resident.post(url, { clientKey: key(), body: 'Chào cả nhóm' })).status).toBe(201)
    expect((await resident.del(`/api/groups/${group.id}/membership`)).status).toBe(204)
    const after = await resident.post(url, { clientKey: key(), body: 'Vẫn gửi được?' })
    expect(after.status).toBe(404)
    expect((await resident.get(url)).status).toBe(404)
    expect((await resident.post('/api/groups/join', { code })).status).toBe(200)
    expect((await resident.post(url, { clientKey: key(), body: 'Tôi quay lại' })).status).toBe(201)
  })

  it('shows moderators display names only; the area officer sees phones, and that read is audited', async () => {
    const w = await world()
    const { officer, group, code } = await residentialGroup(w, { joinPolicy: 'open' })
    const leader = await callerFor(t, w.leader)
    await (await callerFor(t, w.resident)).post('/api/groups/join', { code })
    await leader.post('/api/groups/join', { code })
    await officer.patch(`/api/groups/${group.id}/members/${w.leader.id}`, { role: 'moderator' })
    const asModerator = await leader.get(`/api/groups/${group.id}/members`)
    const binh = asModerator.body.members.find(
      (m: { displayName: string }) => m.displayName === 'Trần Văn Bình',
    )
    expect(binh).toBeDefined()
    expect(JSON.stringify(asModerator.body)).not.toContain(w.resident.phone!)
    const asOfficer = await officer.get(`/api/groups/${group.id}/members`)
    expect(asOfficer.body.members).toContainEqual(
      expect.objectContaining({ userId: w.resident.id, phone: w.resident.phone }),
    )
    const audit = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where entity_id = ${group.id} and actor_id = ${w.officer.id}`,
    )
    expect(audit[0]!.n).toBe(1)
  })

  it('lets a tổ trưởng holding a moderator grant over the ward co-moderate its groups', async () => {
    const w = await world()
    const { group } = await residentialGroup(w)
    await grantRole(t.db, w.leader.id, 'moderator', w.ward.id)
    const leader = await callerFor(t, w.leader)
    const pinned = await leader.post(`/api/conversations/${group.conversationId}/messages`, {
      clientKey: key(),
      body: 'Nội quy nhóm',
    })
    expect(pinned.status).toBe(201)
    expect((await leader.post(`/api/messages/${pinned.body.message.id}/pin`)).body.pinnedAt).not.toBeNull()
    const outsider = await callerFor(t, w.outsider)
    expect((await outsider.get(`/api/groups/${group.id}`)).status).toBe(404)
  })

  it('notifies members of a new message, never its author nor those who muted the group', async () => {
    const w = await world()
    const { officer, group, code } = await residentialGroup(w, { joinPolicy: 'open' })
    const resident = await callerFor(t, w.resident)
    const leader = await callerFor(t, w.leader)
    await resident.post('/api/groups/join', { code })
    await leader.post('/api/groups/join', { code })
    expect(
      (await leader.patch(`/api/groups/${group.id}/membership`, { notificationsMuted: true })).status,
    ).toBe(200)
    const sent = await officer.post(`/api/conversations/${group.conversationId}/messages`, {
      clientKey: key(),
      body: 'Thông báo',
    })
    expect(await messageRecipients(t.db, sent.body.message.id)).toEqual([w.resident.id])
  })
})
