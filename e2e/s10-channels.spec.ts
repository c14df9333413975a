import { expect, test } from '@playwright/test'
import { messengerSignature } from '../server/modules/messaging/channels/messenger.adapter'
import { zaloSignature } from '../server/modules/messaging/channels/zalo.adapter'
import { FakeGraphApi } from '../server/test/fakes/fake-graph-api'
import { FakeZaloApi } from '../server/test/fakes/fake-zalo-api'
import { apiCall, signInStaffOnce } from './support/messaging'

// scripts/e2e-server.mjs points the Messenger Graph API at E2E_PORT + 4 and Zalo's OA API at E2E_PORT + 5.
const GRAPH_PORT = Number(process.env.E2E_PORT ?? '3100') + 4
const PAGE = {
  pageId: '100200300400500',
  name: 'Công an phường (trang thử)',
  appSecret: 'e2e-app-secret-s10',
  pageAccessToken: 'EAAG-e2e-page-token-s10',
  verifyToken: 'e2e-verify-token-s10',
}
const SENDER = '7000000000009901'
const QUESTION = 'Em ở trọ, cho em hỏi đăng ký tạm trú cần giấy gì ạ'
const ANSWER = 'Anh/chị mang căn cước và hợp đồng thuê nhà đến phường nhé.'

const OA = {
  oaId: '4400550066007700',
  appId: '1122334455667788',
  name: 'Công an phường (OA thử)',
  appSecret: 'e2e-zalo-app-secret',
  oaSecret: 'e2e-zalo-oa-secret',
  accessToken: 'e2e-zalo-access-token',
  refreshToken: 'e2e-zalo-refresh-token',
  expiresIn: 90_000,
}
const ZALO_USER = '8491234567001'
const ZALO_QUESTION = 'Cho em hỏi làm căn cước cho con ở đâu ạ'
const ZALO_ANSWER = 'Anh/chị đưa cháu đến bộ phận một cửa của phường nhé.'

interface UnitRow {
  id: string
  name: string
}
interface AreaRow {
  area: { id: string; name: string; slug: string }
}

const graph = new FakeGraphApi()
const zalo = new FakeZaloApi()
test.beforeAll(async () => {
  graph.validTokens.add(PAGE.pageAccessToken)
  zalo.validTokens.add(OA.accessToken)
  await graph.start(GRAPH_PORT)
  await zalo.start(GRAPH_PORT + 1)
})
test.afterAll(async () => {
  await graph.stop()
  await zalo.stop()
})

/**
 * Story S10: a resident who stays on Messenger writes to the ward's Page from the poster's m.me link;
 * the message appears live in the area officer's inbox marked Messenger, and the officer's answer goes
 * back through the Send API to that person, with the Page's token.
 */
test('a Messenger message reaches the area officer live, and the reply goes back through the Send API', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000)
  const commander = await (await browser.newContext()).newPage()
  await commander.goto('/')
  await signInStaffOnce(commander, 'chihuy')

  let webhookUrl = ''
  let areaSlug = ''
  await test.step('the ward connects its Facebook Page', async () => {
    const { units } = await apiCall<{ units: UnitRow[] }>(commander, 'GET', '/api/units')
    const ward = units[0]!
    const rows = await apiCall<AreaRow[]>(commander, 'GET', `/api/units/${ward.id}/posters`)
    // Tổ dân phố số 5 is covered by Trung úy Phạm Minh Tuấn (canbo3) in the demo ward.
    areaSlug = rows.find((r) => r.area.name === 'Tổ dân phố số 5')!.area.slug
    const connected = await apiCall<{ webhookUrl: string }>(
      commander,
      'PUT',
      `/api/units/${ward.id}/channels/messenger`,
      PAGE,
    )
    webhookUrl = new URL(connected.webhookUrl).pathname
  })

  const officer = await (await browser.newContext()).newPage()
  await officer.goto('/')
  await signInStaffOnce(officer, 'canbo3')
  await officer.goto('/staff/inbox')
  await expect(officer.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })).toBeVisible()

  await test.step('a new contact writes from the poster link: it appears live, marked Messenger', async () => {
    const now = Date.now()
    const body = Buffer.from(
      JSON.stringify({
        object: 'page',
        entry: [
          {
            id: PAGE.pageId,
            time: now,
            messaging: [
              {
                sender: { id: SENDER },
                recipient: { id: PAGE.pageId },
                timestamp: now - 1000,
                referral: { ref: areaSlug, source: 'SHORTLINK', type: 'OPEN_THREAD' },
              },
              {
                sender: { id: SENDER },
                recipient: { id: PAGE.pageId },
                timestamp: now,
                message: { mid: `m_e2e_${now}`, text: QUESTION },
              },
            ],
          },
        ],
      }),
    )
    const res = await request.post(webhookUrl, {
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': messengerSignature(PAGE.appSecret, body),
      },
      data: body,
    })
    expect(res.status(), await res.text()).toBe(200)
    const item = officer.getByTestId('inbox-item').filter({ hasText: QUESTION })
    await expect(item).toBeVisible({ timeout: 30_000 })
    await expect(item.getByTestId('channel-badge')).toHaveText('Kênh: Messenger')
    await item.click()
  })

  await test.step('the officer replies; the Send API gets exactly one message for that person', async () => {
    await officer.getByRole('textbox', { name: 'Nội dung tin nhắn' }).fill(ANSWER)
    await officer.getByRole('button', { name: 'Gửi', exact: true }).click()
    await expect(officer.getByTestId('message').filter({ hasText: ANSWER })).toBeVisible()
    await expect.poll(() => graph.sends.length, { timeout: 30_000 }).toBeGreaterThan(0)
    await officer.waitForTimeout(2_000)
    expect(graph.sends).toHaveLength(1)
    const [sent] = graph.sends
    expect(sent!.accessToken).toBe(PAGE.pageAccessToken)
    expect(sent!.body.recipient?.id).toBe(SENDER)
    expect(sent!.body.message?.text).toBe(ANSWER)
  })
})

/** The same journey through the ward's Zalo Official Account. */
test('a Zalo message reaches the area officer live, and the reply goes back through the OA API', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000)
  const commander = await (await browser.newContext()).newPage()
  await commander.goto('/')
  await signInStaffOnce(commander, 'chihuy')
  const { units } = await apiCall<{ units: UnitRow[] }>(commander, 'GET', '/api/units')
  const ward = units[0]!
  const rows = await apiCall<AreaRow[]>(commander, 'GET', `/api/units/${ward.id}/posters`)
  const areaSlug = rows.find((r) => r.area.name === 'Tổ dân phố số 5')!.area.slug
  const connected = await apiCall<{ webhookUrl: string }>(
    commander,
    'PUT',
    `/api/units/${ward.id}/channels/zalo`,
    OA,
  )
  const webhookUrl = new URL(connected.webhookUrl).pathname

  const officer = await (await browser.newContext()).newPage()
  await officer.goto('/')
  await signInStaffOnce(officer, 'canbo3')
  await officer.goto('/staff/inbox')
  await expect(officer.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })).toBeVisible()

  const post = async (body: Record<string, unknown>) => {
    const raw = JSON.stringify(body)
    const res = await request.post(webhookUrl, {
      headers: {
        'content-type': 'application/json',
        'x-zevent-signature': zaloSignature(OA.appId, raw, String(body.timestamp), OA.oaSecret),
      },
      data: raw,
    })
    expect(res.status(), await res.text()).toBe(200)
  }
  await test.step('a new follower from the poster QR writes: it appears live, marked Zalo', async () => {
    const now = Date.now()
    await post({
      app_id: OA.appId,
      user_id_by_app: `app-${ZALO_USER}`,
      event_name: 'follow',
      timestamp: String(now - 1000),
      oa_id: OA.oaId,
      follower: { id: ZALO_USER },
      source: `AREA:${areaSlug}`,
    })
    await post({
      app_id: OA.appId,
      user_id_by_app: `app-${ZALO_USER}`,
      event_name: 'user_send_text',
      timestamp: String(now),
      sender: { id: ZALO_USER },
      recipient: { id: OA.oaId },
      message: { msg_id: `zmsg-e2e-${now}`, text: ZALO_QUESTION },
    })
    const item = officer.getByTestId('inbox-item').filter({ hasText: ZALO_QUESTION })
    await expect(item).toBeVisible({ timeout: 30_000 })
    await expect(item.getByTestId('channel-badge')).toHaveText('Kênh: Zalo')
    await item.click()
  })

  await test.step('the officer replies; the OA API gets exactly one message for that person', async () => {
    await officer.getByRole('textbox', { name: 'Nội dung tin nhắn' }).fill(ZALO_ANSWER)
    await officer.getByRole('button', { name: 'Gửi', exact: true }).click()
    await expect(officer.getByTestId('message').filter({ hasText: ZALO_ANSWER })).toBeVisible()
    await expect.poll(() => zalo.sends.length, { timeout: 30_000 }).toBeGreaterThan(0)
    await officer.waitForTimeout(2_000)
    expect(zalo.sends).toHaveLength(1)
    const [sent] = zalo.sends
    expect(sent!.accessToken).toBe(OA.accessToken)
    expect(sent!.body.recipient?.user_id).toBe(ZALO_USER)
    expect(sent!.body.message?.text).toBe(ZALO_ANSWER)
  })
})
