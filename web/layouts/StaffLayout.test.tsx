import { screen, waitFor } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { installFakeApi } from '../test/fake-api'
import { installFakeWebSocket } from '../test/fake-socket'
import { renderPage } from '../test/render'
import { StaffLayout } from './StaffLayout'

const WARD = '00000000-0000-4000-8000-00000000a001'
const user = (roles: string[]) => ({
  user: {
    id: '00000000-0000-4000-8000-00000000b001',
    kind: 'staff',
    displayName: 'Trung tá Nguyễn Văn Hùng',
    locale: 'vi',
    areaId: null,
    roles,
  },
})

describe('the staff console navigation', () => {
  const Socket = installFakeWebSocket()
  let api: ReturnType<typeof installFakeApi>
  let pending: number
  beforeEach(() => {
    api = installFakeApi()
    pending = 2
    api.on('GET', '/api/auth/session', { body: user(['commander']) })
    api.on('GET', '/api/dashboard/units', {
      body: [{ id: WARD, name: 'Công an phường Hai Bà Trưng', level: 'ward' }],
    })
    api.on('GET', '/api/staff/alerts/pending-approval/count', () => ({ body: { count: pending } }))
  })

  it('shows a commander how many alerts wait for approval, and updates it when one is submitted', async () => {
    renderPage(<StaffLayout />, { path: '/staff' })
    expect(await screen.findByRole('link', { name: 'Cảnh báo, 2 chờ duyệt' })).toBeTruthy()

    // The commander listens to the room of the unit they command.
    await waitFor(() => expect(Socket.all.length).toBeGreaterThan(0))
    Socket.last().serverOpens()
    await waitFor(() =>
      expect(Socket.last().sent).toContainEqual({ type: 'subscribe', rooms: [`unit:${WARD}`] }),
    )

    pending = 3
    Socket.last().serverSends({
      type: 'event',
      event: {
        type: 'alert.approval',
        alertId: '00000000-0000-4000-8000-0000000000a1',
        state: 'pending_approval',
      },
    })
    expect(await screen.findByRole('link', { name: 'Cảnh báo, 3 chờ duyệt' })).toBeTruthy()
  })

  it('shows the plain alerts link when nothing waits', async () => {
    pending = 0
    renderPage(<StaffLayout />, { path: '/staff' })
    await waitFor(() => expect(api.sent('GET', '/api/staff/alerts/pending-approval/count').length).toBe(1))
    expect(await screen.findByRole('link', { name: 'Cảnh báo' })).toBeTruthy()
    expect(screen.queryByRole('link', { name: /Cảnh báo, \d+ chờ duyệt/ })).toBeNull()
  })

  it('does not ask an administrator, who approves nothing (roles-and-data.md)', async () => {
    api.on('GET', '/api/auth/session', { body: user(['admin']) })
    api.on('GET', '/api/dashboard/units', { body: [] })
    renderPage(<StaffLayout />, { path: '/staff' })
    expect(await screen.findByRole('link', { name: 'Cảnh báo' })).toBeTruthy()
    await waitFor(() => expect(api.sent('GET', '/api/auth/session').length).toBeGreaterThan(0))
    expect(api.sent('GET', '/api/staff/alerts/pending-approval/count')).toEqual([])
  })
})
