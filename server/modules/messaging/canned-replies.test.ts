import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildArea,
  buildCommander,
  buildOfficer,
  buildProvince,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { type Caller, callerFor, key } from './messaging.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** Two wards of one province: ours (two officers, a commander, a resident) and a neighbour's. */
async function world() {
  const province = await buildProvince(t.db)
  const ward = await buildWard(t.db, { parent: province })
  const area = await buildArea(t.db, { parent: ward })
  const officer = await buildOfficer(t.db, { areas: [area], unit: ward })
  const colleague = await buildOfficer(t.db, { unit: ward, areas: [area] })
  const commander = await buildCommander(t.db, { unit: ward })
  const resident = await buildResident(t.db, { area, displayName: 'Trần Văn Bình' })
  const neighbourWard = await buildWard(t.db, { parent: province })
  const neighbour = await buildOfficer(t.db, { unit: neighbourWard })
  const neighbourCommander = await buildCommander(t.db, { unit: neighbourWard })
  const provinceCommander = await buildCommander(t.db, { unit: province })
  return {
    province,
    ward,
    neighbourWard,
    resident,
    officer: await callerFor(t, officer.user),
    colleague: await callerFor(t, colleague.user),
    commander: await callerFor(t, commander.user),
    neighbour: await callerFor(t, neighbour.user),
    neighbourCommander: await callerFor(t, neighbourCommander.user),
    provinceCommander: await callerFor(t, provinceCommander.user),
    officerUser: officer.user,
    colleagueUser: colleague.user,
  }
}

const titles = async (c: Caller) =>
  ((await c.get('/api/canned-replies')).body.replies as { title: string }[]).map((r) => r.title)

const GREETING = {
  title: 'Chào hỏi',
  body: 'Chào {resident_name}, tôi là {officer_name}, công an khu vực. Tôi có thể giúp gì ạ?',
}

describe('canned replies: personal and shared per unit', () => {
  it("keeps an officer's reply to themselves until a commander shares one with the unit", async () => {
    const w = await world()
    const mine = await w.officer.post('/api/canned-replies', { unitId: w.ward.id, ...GREETING })
    expect(mine.status).toBe(201)
    expect(mine.body).toMatchObject({ shared: false, mine: true, version: 1, can: ['edit', 'delete'] })

    const list = (await w.officer.get('/api/canned-replies')).body
    expect(list.replies.map((r: { id: string }) => r.id)).toEqual([mine.body.id])
    // The officer files under their ward and area, but only a commander shares there.
    expect(list.units).toContainEqual({ id: w.ward.id, name: w.ward.name, canShare: false })

    for (const other of [w.colleague, w.commander, w.neighbour, w.provinceCommander])
      expect(await titles(other)).not.toContain('Chào hỏi')

    // Sharing is the commanders' call, for a new reply or an existing one; a refusal writes nothing.
    const refused = await w.officer.post('/api/canned-replies', {
      unitId: w.ward.id,
      title: 'Giờ tiếp dân',
      body: 'Công an phường tiếp dân từ 7h30 đến 17h.',
      shared: true,
    })
    expect(refused.status).toBe(403)
    expect(refused.body.detail).toContain('Chỉ chỉ huy của đơn vị')
    const share = await w.officer.patch(`/api/canned-replies/${mine.body.id}`, { version: 1, shared: true })
    expect(share.status).toBe(403)
    expect(await titles(w.officer)).toEqual(['Chào hỏi'])
    expect(await titles(w.colleague)).toEqual([])

    const hours = await w.commander.post('/api/canned-replies', {
      unitId: w.ward.id,
      title: 'Giờ tiếp dân',
      body: 'Công an phường tiếp dân từ 7h30 đến 17h, {resident_name} ạ.',
      shared: true,
    })
    expect(hours.status).toBe(201)
    expect(hours.body).toMatchObject({
      shared: true,
      unitName: w.ward.name,
      can: ['edit', 'delete', 'share'],
    })
    const seen = (await w.colleague.get('/api/canned-replies')).body.replies
    expect(seen).toEqual([expect.objectContaining({ id: hours.body.id, shared: true, mine: false, can: [] })])
    expect(await titles(w.provinceCommander)).toEqual(['Giờ tiếp dân'])
    expect(await titles(w.neighbour)).toEqual([])
    expect(await titles(w.neighbourCommander)).toEqual([])

    // In a conversation the colleague gets the unit's reply filled in; the officer also their own.
    const resident = await callerFor(t, w.resident)
    const { body } = await resident.post('/api/ask/messages', {
      clientKey: key(),
      body: 'Mấy giờ tiếp dân ạ?',
    })
    const forColleague = await w.colleague.get(`/api/conversations/${body.conversationId}/canned-replies`)
    expect(forColleague.body).toEqual([
      expect.objectContaining({ title: 'Giờ tiếp dân', body: expect.stringContaining('Trần Văn Bình ạ.') }),
    ])
    const forOfficer = await w.officer.get(`/api/conversations/${body.conversationId}/canned-replies`)
    expect(forOfficer.body.map((r: { title: string; shared: boolean }) => [r.title, r.shared])).toEqual([
      ['Chào hỏi', false],
      ['Giờ tiếp dân', true],
    ])
    expect(forOfficer.body[0].body).toBe(
      `Chào Trần Văn Bình, tôi là ${w.officerUser.displayName}, công an khu vực. Tôi có thể giúp gì ạ?`,
    )
  })

  it("shares a province's replies with every ward under it, and a ward's never with its neighbour", async () => {
    const w = await world()
    const made = await w.provinceCommander.post('/api/canned-replies', {
      unitId: w.province.id,
      title: 'Cảnh báo lừa đảo',
      body: 'Công an không bao giờ gọi điện yêu cầu chuyển tiền.',
      shared: true,
    })
    expect(made.status).toBe(201)
    for (const c of [w.officer, w.colleague, w.commander, w.neighbour, w.neighbourCommander])
      expect(await titles(c)).toEqual(['Cảnh báo lừa đảo'])
    // A ward commander reads it but does not command the province: no edit.
    const edit = await w.commander.patch(`/api/canned-replies/${made.body.id}`, { version: 1, title: 'Đổi' })
    expect(edit.status).toBe(403)
  })

  it('edits with the version they were made from: a stale edit is refused and changes nothing', async () => {
    const w = await world()
    const made = await w.commander.post('/api/canned-replies', {
      unitId: w.ward.id,
      shared: true,
      ...GREETING,
    })
    const url = `/api/canned-replies/${made.body.id}`
    const first = await w.commander.patch(url, { version: 1, title: 'Chào hỏi người dân' })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ title: 'Chào hỏi người dân', version: 2, body: GREETING.body })
    const stale = await w.commander.patch(url, { version: 1, body: 'Nội dung cũ ghi đè' })
    expect(stale.status).toBe(409)
    expect(stale.body.detail).toContain('vừa được người khác sửa')
    expect(stale.body.currentVersion).toBe(2)
    const now = (await w.colleague.get('/api/canned-replies')).body.replies[0]
    expect(now).toMatchObject({ title: 'Chào hỏi người dân', body: GREETING.body, version: 2 })

    // Officers of the unit read a shared reply but may not change or delete it.
    expect((await w.officer.patch(url, { version: 2, title: 'Sửa' })).status).toBe(403)
    expect((await w.officer.del(url)).status).toBe(403)
    // Another ward's staff cannot even learn it exists.
    expect((await w.neighbourCommander.patch(url, { version: 2, title: 'Sửa' })).status).toBe(404)
    expect((await w.neighbour.del(url)).status).toBe(404)
    expect(await titles(w.colleague)).toEqual(['Chào hỏi người dân'])

    // Taken back, it is its author's own again.
    const back = await w.commander.patch(url, { version: 2, shared: false })
    expect(back.body).toMatchObject({ shared: false, version: 3 })
    expect(await titles(w.colleague)).toEqual([])
  })

  it('refuses bad input with a Vietnamese message naming the field, and changes nothing', async () => {
    const w = await world()
    const made = await w.officer.post('/api/canned-replies', { unitId: w.ward.id, ...GREETING })
    const url = `/api/canned-replies/${made.body.id}`
    const cases: [string, unknown, string, string][] = [
      ['POST', { unitId: w.ward.id, title: ' ', body: 'Nội dung' }, 'title', 'Anh/chị hãy đặt tên'],
      ['POST', { unitId: w.ward.id, title: 'Mẫu', body: '' }, 'body', 'nhập nội dung'],
      ['POST', { unitId: w.ward.id, title: 'x'.repeat(121), body: 'Nội dung' }, 'title', 'tối đa 120'],
      ['POST', { unitId: w.ward.id, title: 'Mẫu', body: 'Chào {ten_dan}' }, 'body', '{resident_name}'],
      ['POST', { unitId: 'phuong-1', title: 'Mẫu', body: 'Nội dung' }, 'unitId', 'chọn đơn vị'],
      ['PATCH', { title: 'Không có phiên bản' }, 'version', ''],
      ['PATCH', { version: 1, body: 'Chào {officer}' }, 'body', 'biến không hợp lệ'],
      ['PATCH', { version: 1 }, '', 'Không có gì để thay đổi'],
    ]
    for (const [method, payload, field, text] of cases) {
      const res =
        method === 'POST'
          ? await w.officer.post('/api/canned-replies', payload)
          : await w.officer.patch(url, payload)
      expect(res.status, JSON.stringify(payload)).toBe(400)
      const errors = res.body.errors as { field: string; message: string }[]
      if (field) expect(errors.map((e) => e.field)).toContain(field)
      expect(errors.map((e) => e.message).join(' ')).toContain(text)
    }
    // A unit that does not exist, or one the officer does not work in.
    const missing = await w.officer.post('/api/canned-replies', {
      unitId: '00000000-0000-4000-8000-000000000000',
      ...GREETING,
    })
    expect(missing.status).toBe(400)
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'unitId', code: 'not_found' })])
    const elsewhere = await w.officer.post('/api/canned-replies', { unitId: w.neighbourWard.id, ...GREETING })
    expect(elsewhere.status).toBe(403)
    expect(elsewhere.body.detail).toContain('đơn vị hoặc khu vực mình công tác')
    const list = (await w.officer.get('/api/canned-replies')).body.replies
    expect(list).toEqual([expect.objectContaining({ title: 'Chào hỏi', body: GREETING.body, version: 1 })])
  })

  it("deletes an officer's own reply once; nobody else may, residents may not use canned replies", async () => {
    const w = await world()
    const made = await w.officer.post('/api/canned-replies', { unitId: w.ward.id, ...GREETING })
    const url = `/api/canned-replies/${made.body.id}`
    // A personal reply is not even the commander's to see.
    expect((await w.commander.del(url)).status).toBe(404)
    expect((await w.colleague.patch(url, { version: 1, title: 'Của tôi' })).status).toBe(404)
    expect((await w.officer.del(url)).status).toBe(204)
    expect(await titles(w.officer)).toEqual([])
    expect((await w.officer.del(url)).status).toBe(404)
    const resident = await callerFor(t, w.resident)
    expect((await resident.get('/api/canned-replies')).status).toBe(403)
    expect((await resident.post('/api/canned-replies', { unitId: w.ward.id, ...GREETING })).status).toBe(403)
  })
})
