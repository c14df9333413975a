import { render, screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { type FakeApi, installFakeApi } from '../../test/fake-api'
import { installFakeWebSocket } from '../../test/fake-socket'
import { conversationView, messageView, OFFICER, RESIDENT } from '../../test/messaging-fixtures'
import { renderPage } from '../../test/render'
import { DeliveryFailed } from './ChannelBadge'
import { InboxPage } from './InboxPage'

const staff = { ...OFFICER, kind: 'staff', locale: 'vi', areaId: null, roles: ['officer'] }
const excerpt = (text: string) => ({ excerpt: text, authorName: RESIDENT.displayName, isStaff: false })
const fromMessenger = conversationView('Messenger …4321', {
  channel: 'messenger',
  lastMessage: excerpt('Nhà tôi bị mất xe đạp'),
})
const fromZalo = conversationView('Zalo …8765', {
  channel: 'zalo',
  lastMessage: excerpt('Cho hỏi giờ làm việc'),
})
const fromWeb = conversationView('Nguyễn Thị Lan', { lastMessage: excerpt('Thủ tục tạm trú') })

const renderInbox = (id = '') =>
  renderPage(<InboxPage />, { path: `/staff/inbox/${id}`, route: '/staff/inbox/:id?' })
const queue = () => screen.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })
const items = () => within(queue()).queryAllByTestId('inbox-item')

describe('Zalo and Messenger conversations in the officer inbox', () => {
  installFakeWebSocket()
  let api: FakeApi
  beforeEach(() => {
    api = installFakeApi()
    api.on('GET', '/api/auth/session', { body: { user: staff } })
    api.on('GET', '/api/inbox', { body: { conversations: [fromMessenger, fromZalo, fromWeb] } })
    api.on('GET', '/api/sync', { body: { messages: [], cursor: 0, hasMore: false } })
  })

  it('marks each outside conversation with its platform, by name, and leaves web ones plain', async () => {
    renderInbox()
    await waitFor(() => expect(items()).toHaveLength(3))
    const [messenger, zalo, web] = items()
    expect(within(messenger!).getByTestId('channel-badge').textContent).toBe('Kênh: Messenger')
    expect(messenger!.textContent).toContain('Kênh: Messenger')
    expect(zalo!.textContent).toContain('Kênh: Zalo')
    expect(web!.textContent).not.toContain('Kênh:')
    expect(within(web!).queryByTestId('channel-badge')).toBeNull()
  })

  it('shows the platform in the conversation header and says which reply did not reach it, and why', async () => {
    const id = fromZalo.id
    const question = messageView('Cho hỏi giờ làm việc', { conversationId: id })
    const failed = messageView('Từ 7 giờ 30 đến 17 giờ', {
      conversationId: id,
      author: { ...OFFICER, isStaff: true, rank: null },
      delivery: { channel: 'zalo', status: 'failed', errorKey: 'channels.error.token_invalid', attempts: 1 },
    })
    const sent = messageView('Anh/chị mang theo căn cước', {
      conversationId: id,
      author: { ...OFFICER, isStaff: true, rank: null },
      delivery: { channel: 'zalo', status: 'sent', errorKey: null, attempts: 1 },
    })
    api.on('GET', `/api/conversations/${id}`, { body: fromZalo })
    api.on('GET', `/api/conversations/${id}/messages`, {
      body: { messages: [question, failed, sent], pinned: [], hasMore: false },
    })
    api.on('POST', `/api/conversations/${id}/read`, { status: 204 })
    api.on('GET', `/api/conversations/${id}/canned-replies`, { body: [] })
    renderInbox(id)
    const [thread] = await screen.findAllByRole('region', { name: 'Zalo …8765' })
    await within(thread!).findByText('Từ 7 giờ 30 đến 17 giờ')
    // The conversation's header (the workbar above the thread) names the platform.
    expect(screen.getByRole('heading', { name: 'Zalo …8765' }).parentElement!.textContent).toContain(
      'Kênh: Zalo',
    )
    const messages = within(thread!).getAllByTestId('message')
    const [q, f, s] = messages
    expect(f!.textContent).toContain('Chưa gửi được qua Zalo.')
    expect(f!.textContent).toContain('Mã truy cập của trang/OA đã hết hạn hoặc bị thu hồi — cần kết nối lại.')
    expect(q!.textContent).not.toContain('Chưa gửi được')
    expect(s!.textContent).not.toContain('Chưa gửi được')
    expect(within(q!).queryByRole('button', { name: 'Thử lại' })).toBeNull()
    expect(within(s!).queryByRole('button', { name: 'Thử lại' })).toBeNull()
    // The failed reply offers "Thử lại": one press, one request to the retry route.
    api.on('POST', `/api/messages/${failed.id}/delivery/retry`, {
      body: { ...failed, delivery: { ...failed.delivery, status: 'pending', errorKey: null } },
    })
    within(f!).getByRole('button', { name: 'Thử lại' }).click()
    await waitFor(() => expect(api.sent('POST', `/api/messages/${failed.id}/delivery/retry`)).toHaveLength(1))
  })

  it('says an answer by SMS did not reach the phone, and offers no "Thử lại" (a new SMS answer is the way)', () => {
    render(
      <DeliveryFailed
        messageId="m-1"
        delivery={{
          channel: 'sms',
          status: 'failed',
          errorKey: 'channels.error.recipient_unavailable',
          attempts: 1,
        }}
      />,
    )
    expect(screen.getByRole('status').textContent).toContain('Chưa gửi được qua SMS.')
    expect(screen.queryByRole('button', { name: 'Thử lại' })).toBeNull()
  })
})
