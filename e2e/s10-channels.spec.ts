import { type APIRequestContext, expect, type Page, test } from '@playwright/test'
import { messengerSignature } from '../server/modules/messaging/channels/messenger.adapter'
import { zaloSignature } from '../server/modules/messaging/channels/zalo.adapter'
import { FakeGraphApi, graphErrors } from '../server/test/fakes/fake-graph-api'
import { FakeZaloApi } from '../server/test/fakes/fake-zalo-api'
import { closeOpenContexts } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

// scripts/e2e-server.mjs points the Messenger Graph API at E2E_PORT + 4 and Zalo's OA API at E2E_PORT + 5.
const GRAPH_PORT = Number(process.env.E2E_PORT ?? '3100') + 4
const ZALO_PORT = GRAPH_PORT + 1

const graph = new FakeGraphApi()
const zalo = new FakeZaloApi()
test.beforeAll(async () => {
  await graph.start(GRAPH_PORT)
  await zalo.start(ZALO_PORT)
})
test.afterAll(async () => {
  await graph.stop()
  await zalo.stop()
})

/** One send as the platform's fake received it, whichever platform. */
interface Sent {
  accessToken: string | null
  recipient: string | undefined
  text: string | undefined
}

/**
 * What differs between Messenger and Zalo in this journey: how the ward connects the account on the
 * channels page, how a new contact arrives (signed as the platform signs), and what the send API got.
 */
interface Platform {
  /** As the inbox badge and the failure line say it. */
  label: 'Messenger' | 'Zalo'
  /** data-testid of the account's card on the channels page. */
  card: string
  /** The person's id on the platform. */
  userId: string
  question: string
  answer: string
  followUp: string
  /** Fills the connect form and submits it; resolves once the page says the account is connected. */
  connect(page: Page): Promise<void>
  /** The access token the send API should get. */
  expectedToken(): string
  /** The person arrives from the poster's link for this area, then writes `text`. */
  writeIn(request: APIRequestContext, webhookPath: string, areaSlug: string, text: string): Promise<void>
  sends(): Sent[]
  /** The next send is refused by the platform (not worth an automatic retry). */
  refuseNextSend(): void
}

const PAGE = {
  pageId: '100200300400500',
  name: 'Công an phường (trang thử)',
  appSecret: 'e2e-app-secret-s10',
  pageAccessToken: 'EAAG-e2e-page-token-s10',
  verifyToken: 'e2e-verify-token-s10',
}
const OA = {
  oaId: '4400550066007700',
  appId: '1122334455667788',
  name: 'Công an phường (OA thử)',
  appSecret: 'e2e-zalo-app-secret',
  oaSecret: 'e2e-zalo-oa-secret',
}

async function postSigned(
  request: APIRequestContext,
  path: string,
  body: string,
  headers: Record<string, string>,
) {
  const res = await request.post(path, {
    headers: { 'content-type': 'application/json', ...headers },
    data: body,
  })
  expect(res.status(), await res.text()).toBe(200)
}

const messenger: Platform = {
  label: 'Messenger',
  card: 'channel-messenger',
  userId: '7000000000009901',
  question: 'Em ở trọ, cho em hỏi đăng ký tạm trú cần giấy gì ạ',
  answer: 'Anh/chị mang căn cước và hợp đồng thuê nhà đến phường nhé.',
  followUp: 'Hợp đồng thuê nhà cần có công chứng không ạ? Không cần đâu anh/chị.',
  async connect(page) {
    graph.validTokens.add(PAGE.pageAccessToken)
    const form = page.getByRole('form', { name: 'Kết nối Facebook Page' })
    await form.getByLabel('Tên hiển thị').fill(PAGE.name)
    await form.getByLabel('Page ID').fill(PAGE.pageId)
    await form.getByLabel('Khóa bí mật của ứng dụng (App secret)').fill(PAGE.appSecret)
    await form.getByLabel('Mã truy cập (access token) của Page').fill(PAGE.pageAccessToken)
    await form.getByLabel('Mã xác minh webhook (Verify token)').fill(PAGE.verifyToken)
    await form.getByRole('button', { name: 'Kết nối Facebook Page' }).click()
    await expect(form.getByRole('status')).toHaveText(`Đã kết nối ${PAGE.name}.`)
    // The secrets leave the form once saved.
    await expect(form.getByLabel('Mã truy cập (access token) của Page')).toHaveValue('')
  },
  expectedToken: () => PAGE.pageAccessToken,
  async writeIn(request, path, areaSlug, text) {
    const now = Date.now()
    const at = (timestamp: number, event: Record<string, unknown>) => ({
      sender: { id: this.userId },
      recipient: { id: PAGE.pageId },
      timestamp,
      ...event,
    })
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: PAGE.pageId,
          time: now,
          messaging: [
            at(now - 1000, { referral: { ref: areaSlug, source: 'SHORTLINK', type: 'OPEN_THREAD' } }),
            at(now, { message: { mid: `m_e2e_${now}`, text } }),
          ],
        },
      ],
    })
    await postSigned(request, path, body, {
      'x-hub-signature-256': messengerSignature(PAGE.appSecret, Buffer.from(body)),
    })
  },
  sends: () =>
    graph.sends.map((s) => ({
      accessToken: s.accessToken,
      recipient: s.body.recipient?.id,
      text: s.body.message?.text,
    })),
  refuseNextSend: () => graph.failNext(graphErrors.permissionDenied),
}

const zaloOa: Platform = {
  label: 'Zalo',
  card: 'channel-zalo',
  userId: '8491234567001',
  question: 'Cho em hỏi làm căn cước cho con ở đâu ạ',
  answer: 'Anh/chị đưa cháu đến bộ phận một cửa của phường nhé.',
  followUp: 'Cháu dưới 6 tuổi thì không cần lấy vân tay anh/chị nhé.',
  async connect(page) {
    // The OA admin consents on Zalo's page (the fake consents at once) for this OA.
    zalo.oauth.apps.set(OA.appId, { secretKey: OA.appSecret, oaId: OA.oaId })
    const form = page.getByRole('form', { name: 'Kết nối Zalo OA' })
    await form.getByLabel('Tên hiển thị').fill(OA.name)
    await form.getByLabel('App ID (Zalo for Developers)').fill(OA.appId)
    await form.getByLabel('Khóa bí mật của ứng dụng (App secret)').fill(OA.appSecret)
    await form.getByLabel('Khóa bí mật OA (OA secret key)').fill(OA.oaSecret)
    await form.getByRole('button', { name: 'Kết nối với Zalo' }).click()
    // Zalo's consent page sends the browser back through the callback to the channels page.
    await expect(page).toHaveURL(/\/channels\?connected=zalo$/)
    await expect(page.getByRole('status').filter({ hasText: 'Đã kết nối Zalo OA.' })).toBeVisible()
  },
  expectedToken: () => zalo.issuedTokens.at(-1)!,
  async writeIn(request, path, areaSlug, text) {
    const now = Date.now()
    const post = (event: Record<string, unknown> & { timestamp: string }) => {
      const body = JSON.stringify({ app_id: OA.appId, user_id_by_app: `app-${this.userId}`, ...event })
      return postSigned(request, path, body, {
        'x-zevent-signature': zaloSignature(OA.appId, body, event.timestamp, OA.oaSecret),
      })
    }
    await post({
      event_name: 'follow',
      timestamp: String(now - 1000),
      oa_id: OA.oaId,
      follower: { id: this.userId },
      source: `AREA:${areaSlug}`,
    })
    await post({
      event_name: 'user_send_text',
      timestamp: String(now),
      sender: { id: this.userId },
      recipient: { id: OA.oaId },
      message: { msg_id: `zmsg-e2e-${now}`, text },
    })
  },
  sends: () =>
    zalo.sends.map((s) => ({
      accessToken: s.accessToken,
      recipient: s.body.recipient?.user_id,
      text: s.body.message?.text,
    })),
  // Zalo's "OA has been disabled" (an OA suspended for a while): not retried on its own.
  refuseNextSend: () => zalo.failNext(-204, 'Official Account has been disabled'),
}

/**
 * Story S10, once per platform: the ward's commander connects the Page / OA on the channels page and
 * sees it working; a resident who stays on Messenger or Zalo writes from the poster's link and the
 * message appears live in the area officer's inbox, marked with the channel; the officer's answer goes
 * back through the platform's send API to that person with the account's token; an answer the platform
 * refuses says so on the message, and "Thử lại" sends it once the platform takes it again.
 */
for (const platform of [messenger, zaloOa]) {
  test(`S10 ${platform.label}: connect, a message reaches the area officer live, replies go back (and are retried)`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(180_000)
    const commander = await (await browser.newContext()).newPage()
    await commander.goto('/')
    await signInStaffOnce(commander, 'chihuy')
    const { units } = await apiCall<{ units: { id: string }[] }>(commander, 'GET', '/api/units')
    const ward = units[0]!
    const rows = await apiCall<{ area: { name: string; slug: string } }[]>(
      commander,
      'GET',
      `/api/units/${ward.id}/posters`,
    )
    // Tổ dân phố số 5 is covered by Trung úy Phạm Minh Tuấn (canbo3) in the demo ward.
    const areaSlug = rows.find((r) => r.area.name === 'Tổ dân phố số 5')!.area.slug

    let webhookPath = ''
    await test.step(`the commander connects the ward's ${platform.label} account and sees it active`, async () => {
      await commander.goto(`/staff/units/${ward.id}`)
      await commander.getByRole('link', { name: 'Kênh Zalo / Facebook' }).click()
      await expect(
        commander.getByRole('heading', { name: 'Kênh Zalo OA và Facebook Page', level: 1 }),
      ).toBeVisible()
      await platform.connect(commander)
      const card = commander.getByTestId(platform.card)
      await expect(card).toContainText('Đang hoạt động')
      await expect(card).toContainText('Chưa nhận sự kiện nào')
      webhookPath = new URL((await card.locator('code').textContent()) ?? '').pathname
      expect(webhookPath).toMatch(/^\/api\/channels\//)
    })

    const officer = await (await browser.newContext()).newPage()
    await officer.goto('/')
    await signInStaffOnce(officer, 'canbo3')
    await officer.goto('/staff/inbox')
    await expect(officer.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })).toBeVisible()

    await test.step('a new contact writes from the poster link: it appears live, marked with the channel', async () => {
      await platform.writeIn(request, webhookPath, areaSlug, platform.question)
      const item = officer.getByTestId('inbox-item').filter({ hasText: platform.question })
      await expect(item).toBeVisible({ timeout: 30_000 })
      await expect(item.getByTestId('channel-badge')).toHaveText(`Kênh: ${platform.label}`)
      await item.click()
    })

    const sendsOf = (text: string) => platform.sends().filter((s) => s.text === text)
    const reply = async (text: string) => {
      await officer.getByRole('textbox', { name: 'Nội dung tin nhắn' }).fill(text)
      await officer.getByRole('button', { name: 'Gửi', exact: true }).click()
      return officer.getByTestId('message').filter({ hasText: text })
    }

    await test.step('the officer replies; the send API gets exactly one message for that person', async () => {
      await expect(await reply(platform.answer)).toBeVisible()
      await expect.poll(() => sendsOf(platform.answer).length, { timeout: 30_000 }).toBeGreaterThan(0)
      await officer.waitForTimeout(2_000)
      expect(sendsOf(platform.answer)).toEqual([
        { accessToken: platform.expectedToken(), recipient: platform.userId, text: platform.answer },
      ])
    })

    await test.step('the commander sees the channel has received events', async () => {
      await commander.reload()
      await expect(commander.getByTestId(platform.card)).not.toContainText('Chưa nhận sự kiện nào')
    })

    await test.step('a reply the platform refuses says so on the message; "Thử lại" sends it once', async () => {
      platform.refuseNextSend()
      const message = await reply(platform.followUp)
      const failed = message.getByRole('status').filter({ hasText: `Chưa gửi được qua ${platform.label}.` })
      await expect(failed).toBeVisible({ timeout: 30_000 })
      await expect(failed).toContainText('Nền tảng từ chối tin nhắn.')
      expect(sendsOf(platform.followUp)).toHaveLength(1)
      // The platform takes messages again: the officer retries, and the failure line goes away live.
      await failed.getByRole('button', { name: 'Thử lại' }).click()
      await expect(failed).toBeHidden({ timeout: 30_000 })
      await expect.poll(() => sendsOf(platform.followUp).length, { timeout: 30_000 }).toBe(2)
      await officer.waitForTimeout(2_000)
      expect(sendsOf(platform.followUp)).toHaveLength(2)
      expect(sendsOf(platform.followUp)[1]).toEqual({
        accessToken: platform.expectedToken(),
        recipient: platform.userId,
        text: platform.followUp,
      })
    })
  })
}
