import { randomUUID } from 'node:crypto'
import { smsSegments } from '@common/text/sms-text'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { messages, smsInbound as smsInboundTable, smsSends } from '../../db/schema/index'
import type { TBusEvent } from '../../realtime/access-events'
import {
  buildArea,
  buildCommander,
  buildDirectConversation,
  buildOfficer,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { esmsTime, FakeEsms, moQuery } from '../../test/fakes/fake-esms'
import { createTestApp, type TestContext } from '../../test/test-app'
import { foundPerson, publish } from '../alerts/alerts.test-helpers'
import { callerFor, key } from '../messaging/messaging.test-support'
import { alertSmsText } from './sms-alerts.service'

const esms = new FakeEsms({ apiKey: 'esms-key', secretKey: 'esms-secret', brandname: 'CONGAN' })
const MO = { cpid: 'cp-123', privateKey: '17417a0d20114d36a902e49cad0e97f3' }
let t: TestContext

beforeAll(async () => {
  const url = await esms.start()
  t = await createTestApp({
    SMS_MESSAGES_PROVIDER: 'http',
    SMS_MESSAGES_HTTP_URL: url,
    SMS_MESSAGES_HTTP_TOKEN: esms.token,
    SMS_PRICE_VND: '800',
    SMS_MO_CPID: MO.cpid,
    SMS_MO_PRIVATE_KEY: MO.privateKey,
  })
})
afterAll(async () => {
  await t.close()
  await esms.stop()
})
beforeEach(() => {
  esms.accepted.length = 0
  esms.requests.length = 0
})

async function drain() {
  for (let i = 0; i < 20 && (await t.jobs.drain()) > 0; i++);
}

/** A ward with an SMS budget, its area, officer and commander, and a resident's conversation. */
async function world(budgetVnd = 100_000, alertKinds: string[] = []) {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = (await buildOfficer(t.db, { unit: ward, areas: [area] })).user
  const commander = (await buildCommander(t.db, { unit: ward })).user
  const resident = await buildResident(t.db, { area })
  const conversation = await buildDirectConversation(t.db, { resident, area, assignee: officer })
  const set = await put(commander, `/api/units/${ward.id}/sms-settings`, {
    monthlyBudgetVnd: budgetVnd,
    alertKinds,
  })
  expect(set.status, JSON.stringify(set.body)).toBe(200)
  return { ward, area, officer, commander, resident, conversation, staff: await callerFor(t, officer) }
}

async function put(user: { id: string; kind: 'resident' | 'staff' }, url: string, payload: object) {
  const { session } = await callerFor(t, user)
  const res = await t.app.inject({ method: 'PUT', url, headers: session.headers, payload })
  return { status: res.statusCode, body: res.json() }
}

const national = (e164: string) => `0${e164.slice(3)}`
const ANSWER =
  'Chào chị, Công an phường đã nhận được thông tin. Chị mang căn cước đến trụ sở lúc 8 giờ sáng mai nhé.'

describe('an officer answers by SMS', () => {
  it('shows the masked number, the price and the budget, then sends exactly one SMS with the text', async () => {
    const w = await world()
    const info = await w.staff.get(`/api/conversations/${w.conversation.id}/sms`)
    expect(info.status).toBe(200)
    expect(info.body).toMatchObject({
      available: true,
      reason: null,
      priceVndPerSegment: 800,
      budget: { unitId: w.ward.id, monthlyVnd: 100_000, spentVnd: 0, remainingVnd: 100_000 },
    })
    expect(info.body.phoneMasked).toMatch(/^0\d{3}•+\d{3}$/)
    expect(info.body.phoneMasked).not.toContain(national(w.resident.phone!).slice(4, 7))

    const sent = await w.staff.post(`/api/conversations/${w.conversation.id}/sms`, {
      text: ANSWER,
      clientKey: key(),
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    expect(sent.body.sms).toMatchObject({ encoding: 'ucs2', segments: 2, costVnd: 1600, status: 'pending' })
    expect(sent.body.message).toMatchObject({ body: ANSWER, delivery: { channel: 'sms', status: 'pending' } })
    await drain()
    expect(esms.accepted).toHaveLength(1)
    expect(esms.accepted[0]).toMatchObject({
      Phone: national(w.resident.phone!),
      Content: ANSWER,
      SmsType: '2',
      Brandname: 'CONGAN',
      IsUnicode: '1',
    })
    const thread = await w.staff.get(`/api/conversations/${w.conversation.id}/messages`)
    const shown = thread.body.messages.find((m: { id: string }) => m.id === sent.body.message.id)
    expect(shown.delivery).toMatchObject({ channel: 'sms', status: 'sent' })
    const after = await w.staff.get(`/api/conversations/${w.conversation.id}/sms`)
    expect(after.body.budget).toMatchObject({ spentVnd: 1600, remainingVnd: 98_400 })
    // The commander's budget page: the month's spending and the SMS, never whom it went to or what it said.
    const page = await (await callerFor(t, w.commander)).get(`/api/units/${w.ward.id}/sms-settings`)
    expect(page.body).toMatchObject({ spentThisMonthVnd: 1600, sendsThisMonth: 1 })
    expect(page.body.recentSends).toEqual([
      expect.objectContaining({ purpose: 'reply', status: 'sent', segments: 2, costVnd: 1600 }),
    ])
    expect(JSON.stringify(page.body)).not.toContain(national(w.resident.phone!).slice(-6))
    expect(JSON.stringify(page.body)).not.toContain('Chào chị')
  })

  it('sends one SMS for a double tap: the same client key twice, even at the same moment', async () => {
    const w = await world()
    const clientKey = key()
    const url = `/api/conversations/${w.conversation.id}/sms`
    const [a, b] = await Promise.all([
      w.staff.post(url, { text: 'Đã nhận, cảm ơn bà.', clientKey }),
      w.staff.post(url, { text: 'Đã nhận, cảm ơn bà.', clientKey }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 201])
    expect(a.body.message.id).toBe(b.body.message.id)
    const again = await w.staff.post(url, { text: 'Đã nhận, cảm ơn bà.', clientKey })
    expect(again.status).toBe(200)
    await drain()
    expect(esms.accepted).toHaveLength(1)
    const rows = await t.db.select().from(messages).where(eq(messages.conversationId, w.conversation.id))
    expect(rows.filter((m) => m.body === 'Đã nhận, cảm ơn bà.')).toHaveLength(1)
  })

  it('sends without diacritics when the officer chooses: GSM-7, one segment instead of two', async () => {
    const w = await world()
    const sent = await w.staff.post(`/api/conversations/${w.conversation.id}/sms`, {
      text: ANSWER,
      withoutDiacritics: true,
      clientKey: key(),
    })
    expect(sent.status).toBe(201)
    expect(sent.body.sms).toMatchObject({ encoding: 'gsm7', segments: 1, costVnd: 800 })
    await drain()
    expect(esms.accepted[0]).toMatchObject({ IsUnicode: '0' })
    expect(esms.accepted[0]?.Content).toMatch(/^Chao chi, Cong an phuong da nhan duoc thong tin\./)
    expect(sent.body.message.body).toBe(esms.accepted[0]?.Content)
  })

  it('refuses beyond the monthly budget with a clear error, writing and sending nothing', async () => {
    const w = await world(1000)
    const url = `/api/conversations/${w.conversation.id}/sms`
    const refused = await w.staff.post(url, { text: ANSWER, clientKey: key() })
    expect(refused.status).toBe(409)
    expect(refused.body.detail).toContain('1.600')
    expect(refused.body.detail).toContain('1.000')
    expect(refused.body.detail).toMatch(/ngân sách SMS/)
    const ok = await w.staff.post(url, { text: ANSWER, withoutDiacritics: true, clientKey: key() })
    expect(ok.status).toBe(201)
    const second = await w.staff.post(url, { text: 'Vang.', clientKey: key() })
    expect(second.status).toBe(409)
    await drain()
    expect(esms.accepted).toHaveLength(1)
    const ledger = await t.db.select().from(smsSends).where(eq(smsSends.unitId, w.ward.id))
    expect(ledger.map((r) => r.costVnd)).toEqual([800])
    const rows = await t.db.select().from(messages).where(eq(messages.conversationId, w.conversation.id))
    expect(rows.filter((m) => m.delivery?.channel === 'sms')).toHaveLength(1)
  })

  it('is for the area police only, and says so when the unit has no budget', async () => {
    const w = await world(0)
    const url = `/api/conversations/${w.conversation.id}/sms`
    const info = await w.staff.get(url)
    expect(info.body).toMatchObject({ available: false, reason: 'no_budget' })
    expect((await w.staff.post(url, { text: 'Chào bà', clientKey: key() })).status).toBe(409)
    const resident = await callerFor(t, w.resident)
    expect((await resident.post(url, { text: 'Chào', clientKey: key() })).status).toBe(404)
    expect((await resident.get(url)).status).toBe(404)
    const stranger = (await buildOfficer(t.db)).user
    expect((await (await callerFor(t, stranger)).get(url)).status).toBe(404)
    const raise = { monthlyBudgetVnd: 9_000_000, alertKinds: [] }
    expect((await put(w.officer, `/api/units/${w.ward.id}/sms-settings`, raise)).status).toBe(403)
    await drain()
    expect(esms.requests).toHaveLength(0)
  })

  it('retries while eSMS cannot be reached, and marks a refused number as failed on the message', async () => {
    const w = await world()
    const url = `/api/conversations/${w.conversation.id}/sms`
    esms.failNext('', '', 1, 502)
    await w.staff.post(url, { text: 'Lan mot', clientKey: key() })
    await drain()
    expect(esms.requests).toHaveLength(2)
    expect(esms.accepted).toHaveLength(1)
    // The first request's id comes back on the retry (eSMS drops a duplicate RequestId with 124).
    expect(esms.requests[0]?.RequestId).toBe(esms.requests[1]?.RequestId)

    esms.failNext('108', 'Phone number is not in correct format.')
    const refused = await w.staff.post(url, { text: 'Lan hai', clientKey: key() })
    await drain()
    const thread = await w.staff.get(`/api/conversations/${w.conversation.id}/messages`)
    const shown = thread.body.messages.find((m: { id: string }) => m.id === refused.body.message.id)
    expect(shown.delivery).toMatchObject({
      channel: 'sms',
      status: 'failed',
      errorKey: 'channels.error.recipient_unavailable',
    })
    // A refused SMS is not charged.
    expect((await w.staff.get(url)).body.budget.spentVnd).toBe(800)
  })
})

describe('alerts by SMS', () => {
  it('reach the residents who asked, once each even when the job runs again, and count against the budget', async () => {
    const w = await world(100_000, ['found_person'])
    const asked = await buildResident(t.db, { area: w.area })
    const notAsked = await buildResident(t.db, { area: w.area })
    const me = await callerFor(t, asked)
    expect((await me.patch('/api/me', { smsAlerts: true })).body.smsAlerts).toBe(true)
    const alert = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    await drain()
    const toAsked = esms.accepted.filter((s) => s.Phone === national(asked.phone!))
    expect(toAsked).toHaveLength(1)
    expect(esms.accepted.some((s) => s.Phone === national(notAsked.phone!))).toBe(false)
    expect(toAsked[0]?.Content).toMatch(/^Tim nguoi than cho cu ba khoang 80 tuoi\n/)
    expect(toAsked[0]?.Content).toContain(`/alerts/${alert.id}`)
    expect(toAsked[0]?.IsUnicode).toBe('0')

    // The job again (a retry after a crash): nobody gets it twice.
    await t.jobs.enqueue('sms.alert', {
      alertId: alert.id,
      issuingUnitId: w.ward.id,
      kind: 'found_person',
      headline: 'x',
      body: 'y',
      url: 'z',
    })
    await drain()
    expect(esms.accepted.filter((s) => s.Phone === national(asked.phone!))).toHaveLength(1)
    const ledger = await t.db.select().from(smsSends).where(eq(smsSends.alertId, alert.id))
    expect(ledger).toHaveLength(1)
    const settings = await (await callerFor(t, w.commander)).get(`/api/units/${w.ward.id}/sms-settings`)
    expect(settings.body.spentThisMonthVnd).toBe(ledger[0]!.costVnd)
  })

  it('do not go for a kind the unit did not choose, nor beyond the budget', async () => {
    const w = await world(100_000, ['missing_person'])
    const asked = await buildResident(t.db, { area: w.area, smsAlerts: true })
    await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    await drain()
    expect(esms.accepted.some((s) => s.Phone === national(asked.phone!))).toBe(false)

    // Room for exactly one resident's SMS: the second is refused by the budget.
    const one =
      smsSegments(
        alertSmsText({
          headline: foundPerson().headline,
          body: foundPerson().description ?? '',
          url: `${t.config.PUBLIC_URL}/alerts/${randomUUID()}/share`,
        }),
      ).segments * 800
    const poor = await world(one + 500, ['found_person'])
    const a = await buildResident(t.db, { area: poor.area, smsAlerts: true })
    const b = await buildResident(t.db, { area: poor.area, smsAlerts: true })
    await publish(t.app, poor.officer, foundPerson({ scope: { kind: 'unit' } }))
    await drain()
    const got = esms.accepted.filter((s) => s.Phone === national(a.phone!) || s.Phone === national(b.phone!))
    expect(got).toHaveLength(1)
    const spent = await (await callerFor(t, poor.commander)).get(`/api/units/${poor.ward.id}/sms-settings`)
    expect(spent.body.spentThisMonthVnd).toBe(one)
  })
})

describe("a resident's SMS reply", () => {
  let smsSeq = 0
  const mo = (sender: string, content: string, over: Partial<Parameters<typeof moQuery>[0]> = {}) =>
    moQuery({
      ...MO,
      smsid: `mo-${Date.now()}-${++smsSeq}`,
      sender: sender.replace('+', ''),
      content,
      receiverTime: esmsTime(new Date()),
      ...over,
    })
  const deliver = (query: string) => t.app.inject({ method: 'GET', url: `/api/sms/esms/mo?${query}` })

  it('refuses a bad signature or another CP id with 401, storing nothing', async () => {
    const w = await world()
    const before = (await t.db.select().from(smsInboundTable)).length
    expect((await deliver(mo(w.resident.phone!, 'Toi da nhan', { privateKey: 'wrong' }))).statusCode).toBe(
      401,
    )
    expect((await deliver(mo(w.resident.phone!, 'Toi da nhan', { cpid: 'other' }))).statusCode).toBe(401)
    expect((await t.db.select().from(smsInboundTable)).length).toBe(before)
  })

  it('lands once in the conversation it answers, live in the officer inbox, however often eSMS delivers it', async () => {
    const w = await world()
    await w.staff.post(`/api/conversations/${w.conversation.id}/sms`, {
      text: 'Mai ba den nhe',
      clientKey: key(),
    })
    await drain()
    const seen: TBusEvent[] = []
    const unsubscribe = t.bus.subscribe((e) => seen.push(e))
    const query = mo(w.resident.phone!, 'Vang, mai toi den luc 8 gio')
    for (let i = 0; i < 3; i++) {
      const res = await deliver(query)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/xml/)
      expect(res.body).toMatch(/^<ClientResponse><Message><\/Message><Smsid>mo-/)
    }
    await drain()
    unsubscribe()
    const thread = await w.staff.get(`/api/conversations/${w.conversation.id}/messages`)
    const replies = thread.body.messages.filter(
      (m: { body: string }) => m.body === 'Vang, mai toi den luc 8 gio',
    )
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatchObject({ author: { id: w.resident.id }, delivery: { channel: 'sms' } })
    const live = seen.filter((e) => e.type === 'message.created')
    expect(live).toHaveLength(1)
    expect(live[0]?.rooms).toContain(`user:${w.officer.id}`)
  })

  it('keeps an SMS from an unknown number out of every conversation', async () => {
    const res = await deliver(mo('+84919999001', 'Ai day?'))
    expect(res.statusCode).toBe(200)
    await drain()
    const [row] = await t.db.select().from(smsInboundTable).where(eq(smsInboundTable.content, 'Ai day?'))
    expect(row).toMatchObject({ status: 'ignored', reason: 'unknown_number', messageId: null })
  })
})
