import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smsSends } from '../../db/schema/index'
import {
  buildArea,
  buildCommander,
  buildDirectConversation,
  buildOfficer,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { FakeEsms } from '../../test/fakes/fake-esms'
import { createTestApp, type TestContext } from '../../test/test-app'
import { callerFor, key } from '../messaging/messaging.test-support'

const esms = new FakeEsms({ apiKey: 'dlr-key', secretKey: 'dlr-secret', brandname: 'CONGAN' })
const PUBLIC_URL = 'https://nhipcau.example.vn'
let t: TestContext

beforeAll(async () => {
  const url = await esms.start()
  t = await createTestApp({
    SMS_MESSAGES_PROVIDER: 'http',
    SMS_MESSAGES_HTTP_URL: url,
    SMS_MESSAGES_HTTP_TOKEN: esms.token,
    PUBLIC_URL,
  })
})
afterAll(async () => {
  await t.close()
  await esms.stop()
})

/** An officer's answer by SMS, sent: what eSMS received, and the ledger row's id. */
async function sentAnswer(text: string) {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = (await buildOfficer(t.db, { unit: ward, areas: [area] })).user
  const commander = (await callerFor(t, (await buildCommander(t.db, { unit: ward })).user)).session
  const resident = await buildResident(t.db, { area })
  const conversation = await buildDirectConversation(t.db, { resident, area, assignee: officer })
  await t.app.inject({
    method: 'PUT',
    url: `/api/units/${ward.id}/sms-settings`,
    headers: commander.headers,
    payload: { monthlyBudgetVnd: 100_000, alertKinds: [] },
  })
  const staff = await callerFor(t, officer)
  const res = await staff.post(`/api/conversations/${conversation.id}/sms`, { text, clientKey: key() })
  expect(res.status).toBe(201)
  for (let i = 0; i < 10 && (await t.jobs.drain()) > 0; i++);
  const sent = esms.accepted.find((m) => m.Content === text)!
  const [row] = await t.db.select().from(smsSends).where(eq(smsSends.messageId, res.body.message.id))
  return { sent, row: row!, staff, conversationId: conversation.id, messageId: res.body.message.id as string }
}

/** eSMS's callback, as the fake would make it, through the app. */
async function callBack(url: string) {
  const u = new URL(url)
  expect(u.origin).toBe(PUBLIC_URL)
  const res = await t.app.inject({ method: 'GET', url: `${u.pathname}${u.search}` })
  return { status: res.statusCode, body: res.json() }
}

const statusOf = async (id: string) =>
  (await t.db.select().from(smsSends).where(eq(smsSends.id, id)))[0]!.status

describe("eSMS's delivery reports", () => {
  it('each SMS is sent with its own signed callback, and a report that it reached the phone marks it delivered', async () => {
    const a = await sentAnswer('Bac den phuong luc 8 gio nhe.')
    expect(a.sent.CallbackUrl).toMatch(
      new RegExp(`^${PUBLIC_URL}/api/sms/esms/status/${a.row.id}/[0-9a-f]{40}$`),
    )
    expect(await callBack(esms.reportUrl(a.sent, 'delivered'))).toEqual({
      status: 200,
      body: { status: 'delivered' },
    })
    expect(await statusOf(a.row.id)).toBe('delivered')
    // eSMS retries a callback up to 5 times: the same report again changes nothing.
    expect((await callBack(esms.reportUrl(a.sent, 'failed'))).body).toEqual({ status: 'delivered' })
    expect(await statusOf(a.row.id)).toBe('delivered')
  })

  it('a report that it did not reach the phone shows on the answer in the thread', async () => {
    const a = await sentAnswer('Chao chi, moi chi len phuong.')
    expect((await callBack(esms.reportUrl(a.sent, 'failed'))).body).toEqual({ status: 'undelivered' })
    expect(await statusOf(a.row.id)).toBe('undelivered')
    const thread = await a.staff.get(`/api/conversations/${a.conversationId}/messages`)
    const shown = thread.body.messages.find((m: { id: string }) => m.id === a.messageId)
    expect(shown.delivery).toMatchObject({
      channel: 'sms',
      status: 'failed',
      errorKey: 'channels.error.recipient_unavailable',
    })
    // "Thử lại" is for Zalo/Messenger: an SMS answer is not re-queued (it would stay pending for good).
    const retry = await a.staff.post(`/api/messages/${a.messageId}/delivery/retry`, {})
    expect(retry.status).toBe(409)
    const after = await a.staff.get(`/api/conversations/${a.conversationId}/messages`)
    expect(after.body.messages.find((m: { id: string }) => m.id === a.messageId).delivery.status).toBe(
      'failed',
    )
    // Still charged: the operator took it.
    const [row] = await t.db.select().from(smsSends).where(eq(smsSends.id, a.row.id))
    expect(row!.costVnd).toBeGreaterThan(0)
  })

  it('a guessed or altered callback changes nothing', async () => {
    const a = await sentAnswer('Cam on bac.')
    const url = new URL(esms.reportUrl(a.sent, 'failed'))
    const forged = url.pathname.replace(/[0-9a-f]{40}$/, '0'.repeat(40))
    expect((await t.app.inject({ url: `${forged}${url.search}` })).statusCode).toBe(404)
    const other = await sentAnswer('Vang.')
    const swapped = url.pathname.replace(a.row.id, other.row.id)
    expect((await t.app.inject({ url: `${swapped}${url.search}` })).statusCode).toBe(404)
    expect(await statusOf(a.row.id)).toBe('sent')
    expect(await statusOf(other.row.id)).toBe('sent')
  })
})
