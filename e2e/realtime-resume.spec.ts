import { randomUUID } from 'node:crypto'
import { type TServerMessage, ZClientMessage } from '@common/events'
import { expect, type Page, test, type WebSocketRoute } from '@playwright/test'
import { signInResident, signInStaff } from './support/api-sign-in'
import { closeOpenContexts } from './support/browser'
import { apiCall } from './support/messaging'

test.afterEach(closeOpenContexts)

/**
 * The socket drops (a phone changing network), the officer answers three times meanwhile, and the
 * socket comes back: the resident's open thread shows each answer exactly once, carried by the
 * answer to the subscribe that gave the page's cursor (what GET /api/sync?after= would answer). The
 * page only ever sends messages the server's schema accepts (no client-only "resume").
 */
test('after the socket drops, every message sent meanwhile appears once when it reconnects', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const resident = await (await browser.newContext()).newPage()
  const officer = await (await browser.newContext()).newPage()

  // Every socket of the resident's page goes through this proxy, which can cut it and hold it down.
  const sent: unknown[] = []
  const received: TServerMessage[] = []
  const routes: WebSocketRoute[] = []
  let down = false
  await resident.routeWebSocket('/ws', (ws) => {
    routes.push(ws)
    if (down) return void ws.close({ code: 4000, reason: 'network down' })
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      sent.push(JSON.parse(String(message)))
      server.send(message)
    })
    server.onMessage((message) => {
      received.push(JSON.parse(String(message)) as TServerMessage)
      ws.send(message)
    })
  })

  await resident.goto('/')
  await officer.goto('/')
  await signInResident(resident, '0987000002')
  await signInStaff(officer, 'canbo1')
  const tag = randomUUID().slice(0, 8)
  const asked = await apiCall<{ conversationId: string }>(resident, 'POST', '/api/ask/messages', {
    clientKey: `resume-${tag}`,
    body: `Em hỏi về tạm trú (${tag})`,
  })
  const answer = (n: number) => `Trả lời số ${n} (${tag})`
  const reply = (page: Page, n: number) =>
    apiCall(page, 'POST', `/api/conversations/${asked.conversationId}/messages`, {
      clientKey: `resume-${tag}-${n}`,
      body: answer(n),
    })

  await test.step('the thread is open and live', async () => {
    await resident.goto('/ask')
    await expect(resident.getByTestId('message').filter({ hasText: tag })).toHaveCount(1)
    await reply(officer, 1)
    await expect(resident.getByTestId('message').filter({ hasText: answer(1) })).toHaveCount(1)
  })

  await test.step('the socket drops and three answers are sent while it is down', async () => {
    down = true
    for (const route of routes) await route.close({ code: 4000, reason: 'network down' })
    await expect(resident.getByRole('status').filter({ hasText: 'Mất kết nối' })).toBeVisible()
    for (const n of [2, 3, 4]) await reply(officer, n)
  })

  await test.step('the socket returns: each answer appears exactly once, carried by the subscribe’s answer', async () => {
    const sentBefore = sent.length
    const receivedBefore = received.length
    down = false
    for (const n of [2, 3, 4])
      await expect(resident.getByTestId('message').filter({ hasText: answer(n) })).toHaveCount(1, {
        timeout: 20_000,
      })
    await expect(resident.getByTestId('message').filter({ hasText: answer(1) })).toHaveCount(1)
    const resubscribe = sent.slice(sentBefore).find((m) => (m as { type: string }).type === 'subscribe')
    expect(resubscribe).toMatchObject({ after: expect.any(Number) })
    const caughtUp = received
      .slice(receivedBefore)
      .flatMap((m) => (m.type === 'subscribed' && m.sync ? m.sync.messages.map((x) => x.body) : []))
    expect(caughtUp).toEqual(expect.arrayContaining([answer(2), answer(3), answer(4)]))
  })

  // Whatever the page sent on its sockets (subscriptions, pings), the server's schema accepts it.
  for (const message of sent)
    expect(ZClientMessage.safeParse(message).success, JSON.stringify(message)).toBe(true)
})
