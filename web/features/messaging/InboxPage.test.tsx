import type { TConversationView } from '@common/schemas/messaging'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { type FakeApi, installFakeApi } from '../../test/fake-api'
import { installFakeWebSocket } from '../../test/fake-socket'
import { conversationView, OFFICER, RESIDENT } from '../../test/messaging-fixtures'
import { renderPage } from '../../test/render'
import { InboxPage } from './InboxPage'

const staff = { ...OFFICER, kind: 'staff', locale: 'vi', areaId: null, roles: ['officer'] }
const asked = (title: string, excerpt: string, over: Partial<TConversationView> = {}) =>
  conversationView(title, {
    lastMessage: { excerpt, authorName: RESIDENT.displayName, isStaff: false },
    ...over,
  })

const renderInbox = () => renderPage(<InboxPage />, { path: '/staff/inbox', route: '/staff/inbox/:id?' })
const queue = () => screen.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })
const items = () => within(queue()).queryAllByTestId('inbox-item')

describe('the officer inbox list', () => {
  const Socket = installFakeWebSocket()
  let api: FakeApi
  let byFilter: Record<string, TConversationView[]>
  beforeEach(() => {
    api = installFakeApi()
    byFilter = { all: [], mine: [], unassigned: [], resolved: [] }
    api.on('GET', '/api/auth/session', { body: { user: staff } })
    api.on('GET', '/api/inbox', (req) => ({
      body: { conversations: byFilter[req.query.get('filter') ?? ''] },
    }))
    api.on('GET', '/api/sync', { body: { messages: [], cursor: 0, hasMore: false } })
  })

  it('shows each conversation with its last question, unread count and status, linked to its thread', async () => {
    const lan = asked('Nguyễn Thị Lan', 'Cho tôi hỏi thủ tục tạm trú', {
      read: { lastReadSeq: 0, lastDeliveredSeq: 0, peerDeliveredSeq: 0, peerReadSeq: 0, unread: 2 },
    })
    const late = asked('Trần Văn Minh', 'Xe máy bị mất trộm', { overdue: true })
    byFilter.all = [lan, late]
    renderInbox()
    await waitFor(() => expect(items()).toHaveLength(2))
    const [first, second] = items()
    expect(first!.getAttribute('href')).toBe(`/staff/inbox/${lan.id}`)
    expect(first!.textContent).toContain('Cho tôi hỏi thủ tục tạm trú')
    expect(first!.textContent).toContain('2 tin chưa đọc')
    expect(first!.textContent).toContain('Đang mở')
    expect(second!.textContent).toContain('Quá hạn')
    expect(second!.textContent).not.toContain('tin chưa đọc')
    expect(screen.getByText('Chọn một cuộc trò chuyện ở cột bên trái để xem và trả lời.')).toBeTruthy()
  })

  it('says so when there is nothing, and a filter asks the server for its own list', async () => {
    byFilter.unassigned = [asked('Lê Thị Hoa', 'Nhà bên cạnh ồn quá')]
    renderInbox()
    await screen.findByText(/Chưa có tin nhắn\. Cư dân sẽ thấy mã QR/)
    const chip = screen.getByRole('button', { name: 'Chưa phân công' })
    await userEvent.setup().click(chip)
    await waitFor(() => expect(items()).toHaveLength(1))
    expect(chip.getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByRole('button', { name: 'Cần xử lý' }).getAttribute('aria-pressed')).toBe('false')
    expect(api.sent('GET', '/api/inbox').map((r) => r.query.get('filter'))).toEqual(['all', 'unassigned'])
  })

  it('brings a new question in without a reload when the socket says a message arrived', async () => {
    renderInbox()
    await screen.findByText(/Chưa có tin nhắn/)
    const socket = Socket.last()
    socket.serverOpens()
    const fresh = asked('Phạm Văn Nam', 'Có người lạ đứng trước cổng')
    byFilter.all = [fresh]
    socket.serverSends({ type: 'event', event: { type: 'message.created', conversationId: fresh.id } })
    await waitFor(() => expect(items()).toHaveLength(1))
    expect(items()[0]!.textContent).toContain('Có người lạ đứng trước cổng')
  })

  it('is for staff only', async () => {
    api.on('GET', '/api/auth/session', {
      body: { user: { ...staff, ...RESIDENT, kind: 'resident', roles: [] } },
    })
    renderInbox()
    await screen.findByText(/Trang này dành cho cán bộ/)
    expect(api.sent('GET', '/api/inbox')).toHaveLength(0)
  })
})
