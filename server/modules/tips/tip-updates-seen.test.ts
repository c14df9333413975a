import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import { buildArea, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { multipart, newKey } from './tips.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** Issue 19, point 1: the resident's "Tin báo của tôi" counts tips the police changed since last opened. */
async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const { user: officer } = await buildOfficer(t.db, { unit: ward, areas: [area] })
  const resident = await signInAs(t.app, await buildResident(t.db, { area }))
  return { officer: await signInAs(t.app, officer), resident }
}

async function call(session: TestSession, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  const res = await t.app.inject({
    method,
    url,
    headers: session.headers,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  })
  return { status: res.statusCode, body: res.body ? res.json() : undefined }
}

async function sendTip(resident: TestSession, description: string): Promise<string> {
  const form = multipart({ category: 'other', description })
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/tips',
    payload: form.payload,
    headers: { ...resident.headers, ...form.headers, 'idempotency-key': newKey() },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().tip.id
}

async function reply(officer: TestSession, tipId: string, body: string) {
  const form = multipart({ clientKey: newKey(), body })
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/tips/${tipId}/messages`,
    payload: form.payload,
    headers: { ...officer.headers, ...form.headers },
  })
  expect(res.statusCode, res.body).toBe(201)
}

const updated = async (resident: TestSession) =>
  ((await call(resident, 'GET', '/api/tips/mine')).body as { id: string; hasUpdate: boolean }[])
    .filter((tip) => tip.hasUpdate)
    .map((tip) => tip.id)

describe("the resident's unseen updates on their tips", () => {
  it('an answer from the officer marks the tip; opening it clears the mark, the next answer marks it again', async () => {
    const w = await world()
    const first = await sendTip(w.resident, 'Có người lạ đi xe không biển số vào ngõ nhiều lần.')
    const second = await sendTip(w.resident, 'Đèn đường ngõ 5 hỏng, buổi tối rất tối.')
    // The resident's own additions are not news to them.
    await reply(w.resident, second, 'Bổ sung: từ tuần trước.')
    expect(await updated(w.resident)).toEqual([])

    await reply(w.officer, first, 'Cảm ơn chị, tối nay tổ tuần tra sẽ kiểm tra ngõ.')
    expect(await updated(w.resident)).toEqual([first])

    // Staff reading the tip does not count as the resident seeing it.
    expect((await call(w.officer, 'GET', `/api/tips/${first}`)).status).toBe(200)
    expect(await updated(w.resident)).toEqual([first])

    expect((await call(w.resident, 'GET', `/api/tips/${first}`)).status).toBe(200)
    expect(await updated(w.resident)).toEqual([])

    await reply(w.officer, first, 'Đã kiểm tra, không phát hiện gì bất thường.')
    expect(await updated(w.resident)).toEqual([first])
  })

  it('a new status is an update; the same status again is not', async () => {
    const w = await world()
    const tip = await sendTip(w.resident, 'Nghi có người bán hàng giả ở chợ.')
    expect((await call(w.officer, 'PATCH', `/api/tips/${tip}`, { status: 'closed' })).status).toBe(200)
    expect(await updated(w.resident)).toEqual([tip])
    await call(w.resident, 'GET', `/api/tips/${tip}`)
    expect((await call(w.officer, 'PATCH', `/api/tips/${tip}`, { status: 'closed' })).status).toBe(200)
    expect(await updated(w.resident)).toEqual([])
  })

  it('staff lists carry no such mark', async () => {
    const w = await world()
    const tip = await sendTip(w.resident, 'Có tiếng cãi nhau lớn lúc nửa đêm.')
    await reply(w.officer, tip, 'Đã nhận, cảm ơn anh.')
    const list = (await call(w.officer, 'GET', '/api/tips?filter=all')).body as Record<string, unknown>[]
    const row = list.find((r) => r.id === tip)
    expect(row).toBeDefined()
    expect(row).not.toHaveProperty('hasUpdate')
  })
})
