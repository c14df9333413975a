import type { TSendMessageRequest } from '@common/schemas/messaging'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeApi, installFakeApi, problem } from '../../test/fake-api'
import { installFakeWebSocket } from '../../test/fake-socket'
import { CONVERSATION, conversationView, messageView } from '../../test/messaging-fixtures'
import { renderPage } from '../../test/render'
import { sendQueue } from './send-queue'
import { Thread } from './Thread'

const SEND_PATH = `/api/conversations/${CONVERSATION}/messages`
const QUESTION = 'Cho tôi hỏi thủ tục đăng ký tạm trú cho con'

function renderThread() {
  return renderPage(
    <Thread
      conversationId={CONVERSATION}
      queueTarget={CONVERSATION}
      userId={null}
      canPost
      ensureConversation={async () => CONVERSATION}
      label="Hỏi công an khu vực"
    />,
  )
}

async function write(text: string) {
  const user = userEvent.setup()
  await user.type(screen.getByRole('textbox', { name: 'Nội dung tin nhắn' }), text)
  await user.click(screen.getByRole('button', { name: 'Gửi' }))
  return user
}

const outgoing = () => screen.queryAllByTestId('outgoing')
const keysSent = (api: FakeApi) =>
  api.sent('POST', SEND_PATH).map((r) => (r.body as TSendMessageRequest).clientKey)
const backOnline = () => window.dispatchEvent(new Event('online'))

describe('the composer and its outbox', () => {
  installFakeWebSocket()
  let api: FakeApi
  beforeEach(() => {
    api = installFakeApi()
    api.on('GET', SEND_PATH, { body: { messages: [], pinned: [], hasMore: false } })
    api.on('GET', `/api/conversations/${CONVERSATION}`, {
      body: conversationView('Hỏi', { id: CONVERSATION }),
    })
    api.on('GET', '/api/sync', { body: { messages: [], cursor: 0, hasMore: false } })
    api.on('POST', `/api/conversations/${CONVERSATION}/read`, { status: 204 })
  })
  afterEach(() => {
    // The outbox is the page's one queue: each test leaves it empty.
    expect(sendQueue().list()).toEqual([])
  })

  it('keeps a message written offline as "chờ gửi" and sends it once when the network is back', async () => {
    api.offline = true
    renderThread()
    await write(QUESTION)
    const waiting = await screen.findByTestId('outgoing')
    expect(waiting.textContent).toContain(QUESTION)
    expect(waiting.textContent).toContain('chờ gửi')
    expect((screen.getByRole('textbox', { name: 'Nội dung tin nhắn' }) as HTMLTextAreaElement).value).toBe('')
    // Written to storage before any attempt: a reload would not lose it.
    expect(localStorage.getItem('nhipcau.outbox.v1')).toContain(QUESTION)

    api.on('POST', SEND_PATH, (req) => ({
      status: 201,
      body: {
        conversationId: CONVERSATION,
        message: messageView(QUESTION, { clientKey: (req.body as TSendMessageRequest).clientKey }),
      },
    }))
    api.offline = false
    backOnline()
    await waitFor(() => expect(outgoing()).toHaveLength(0))
    expect(screen.getAllByText(QUESTION)).toHaveLength(1)
    expect(keysSent(api)).toHaveLength(1)
  })

  it('sends again with the same client key when the answer was lost, so the message is not duplicated', async () => {
    const stored = new Map<string, ReturnType<typeof messageView>>()
    let answerLost = true
    api.on('POST', SEND_PATH, (req) => {
      const key = (req.body as TSendMessageRequest).clientKey
      // The server keeps one message per client key, as the real one does.
      if (!stored.has(key)) stored.set(key, messageView(QUESTION, { clientKey: key }))
      if (answerLost) {
        answerLost = false
        return problem(503, 'Service Unavailable')
      }
      return { status: 201, body: { conversationId: CONVERSATION, message: stored.get(key) } }
    })
    renderThread()
    await write(QUESTION)
    await waitFor(() => expect(keysSent(api)).toHaveLength(1))
    expect(outgoing()).toHaveLength(1)
    backOnline()
    await waitFor(() => expect(outgoing()).toHaveLength(0))
    const keys = keysSent(api)
    expect(keys).toHaveLength(2)
    expect(new Set(keys).size).toBe(1)
    expect(stored.size).toBe(1)
    expect(screen.getAllByText(QUESTION)).toHaveLength(1)
  })

  it('shows a refused message with the server’s reason, retries it on request, and drops it on request', async () => {
    api.on('POST', SEND_PATH, {
      status: 422,
      body: { type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'Tin nhắn quá dài' },
    })
    renderThread()
    const user = await write(QUESTION)
    const failed = await screen.findByRole('alert')
    expect(failed.textContent).toBe('Không gửi được: Tin nhắn quá dài')
    const item = screen.getByTestId('outgoing')

    await user.click(within(item).getByRole('button', { name: 'Gửi lại' }))
    await waitFor(() => expect(keysSent(api)).toHaveLength(2))
    expect(new Set(keysSent(api)).size).toBe(1)
    await screen.findByRole('alert')

    await user.click(within(screen.getByTestId('outgoing')).getByRole('button', { name: 'Bỏ tin này' }))
    expect(outgoing()).toHaveLength(0)
    expect(screen.queryByText(QUESTION)).toBeNull()
    expect(JSON.parse(localStorage.getItem('nhipcau.outbox.v1') ?? '[]')).toEqual([])
  })
})
