import type { TAlertView } from '@common/schemas/alerts'
import { act, screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { installFakeApi } from '../../test/fake-api'
import { installFakeWebSocket } from '../../test/fake-socket'
import { AREA, residentSession as resident } from '../../test/messaging-fixtures'
import { renderPage } from '../../test/render'
import { sendReceipt } from './alerts-api'
import { HomeAlertBanner } from './HomeAlertBanner'

let n = 0
function alert(headline: string, isLive = true): TAlertView {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`
  return {
    id,
    kind: 'missing_person',
    state: isLive ? 'active' : 'closed',
    isLive,
    capStatus: 'Actual',
    capScope: 'Public',
    categories: ['Safety'],
    event: 'Tìm người thân',
    urgency: 'Immediate',
    severity: 'Moderate',
    certainty: 'Observed',
    effective: null,
    expires: null,
    headline,
    description: '',
    instruction: '',
    contact: '',
    outcome: null,
    lastMsgType: 'Alert',
    version: 1,
    scopeKind: 'unit',
    geometry: null,
    issuingUnit: { id: AREA, name: 'Công an phường Hai Bà Trưng', slug: 'hai-ba-trung' },
    targets: [],
    photos: [],
    publishedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    shareUrl: `/alerts/${id}/share`,
    can: [],
  } satisfies TAlertView
}

const banner = () => screen.queryByRole('region', { name: 'Cảnh báo đang có hiệu lực' })

describe('the home page alert banner', () => {
  const Socket = installFakeWebSocket()
  let api: ReturnType<typeof installFakeApi>
  let alerts: TAlertView[]
  beforeEach(() => {
    api = installFakeApi()
    alerts = []
    api.on('GET', '/api/alerts', () => ({ body: { items: alerts } }))
    api.on('POST', '/api/alerts/receipts', { body: { recorded: [] } })
  })

  it('links the live alerts of the resident’s area and leaves ended ones out', async () => {
    api.on('GET', '/api/auth/session', { body: { user: resident } })
    const live = alert('Tìm cụ bà 80 tuổi đi lạc ở chợ Hôm')
    alerts = [live, alert('Đã tìm thấy cháu bé', false)]
    renderPage(<HomeAlertBanner />)
    const region = await waitFor(() => {
      const found = banner()
      expect(found).not.toBeNull()
      return found!
    })
    const links = within(region).getAllByRole('link')
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Tìm cụ bà 80 tuổi đi lạc ở chợ Hôm', `/alerts/${live.id}`],
    ])
  })

  it('shows an alert published while the page is open, without a reload, and confirms delivery', async () => {
    api.on('GET', '/api/auth/session', { body: { user: resident } })
    renderPage(<HomeAlertBanner />)
    await waitFor(() => expect(Socket.all.length).toBeGreaterThan(0))
    Socket.last().serverOpens()
    await waitFor(() =>
      expect(Socket.last().sent).toContainEqual({ type: 'subscribe', rooms: [`area:${AREA}`] }),
    )
    await waitFor(() => expect(api.sent('GET', '/api/alerts').length).toBeGreaterThan(0))
    expect(banner()).toBeNull()

    const fresh = alert('Cảnh báo lừa đảo qua điện thoại')
    alerts = [fresh]
    Socket.last().serverSends({ type: 'event', event: { type: 'alert.published', alertId: fresh.id } })
    await waitFor(() => expect(screen.getByRole('link', { name: fresh.headline })).toBeTruthy())
    // The receipt goes back on the socket the alert came on, not in a request.
    await waitFor(() =>
      expect(Socket.last().sent).toContainEqual({
        type: 'alert_receipts',
        receipts: [{ alertId: fresh.id, state: 'delivered' }],
      }),
    )
    expect(api.sent('POST', '/api/alerts/receipts')).toHaveLength(0)
  })

  it('sends receipts in one request when the socket is not open', async () => {
    api.on('GET', '/api/auth/session', { body: { user: resident } })
    renderPage(<HomeAlertBanner />)
    await waitFor(() => expect(Socket.all.length).toBeGreaterThan(0))
    Socket.last().close() // the socket is not open (a drop, or not yet connected)
    const id = alert('Cảnh báo').id
    sendReceipt(id, 'delivered')
    sendReceipt(id, 'read')
    await waitFor(() => expect(api.sent('POST', '/api/alerts/receipts')).toHaveLength(1))
    expect(api.sent('POST', '/api/alerts/receipts')[0]!.body).toEqual({
      receipts: [
        { alertId: id, state: 'delivered' },
        { alertId: id, state: 'read' },
      ],
    })
  })

  it('stays calm for a visitor who is not signed in, even when public alerts exist', async () => {
    api.on('GET', '/api/auth/session', { body: { user: null } })
    alerts = [alert('Cảnh báo công khai')]
    const { queryClient } = renderPage(<HomeAlertBanner />)
    await waitFor(() => {
      expect(queryClient.getQueryState(['alerts', 'mine'])?.status).toBe('success')
      expect(queryClient.getQueryState(['session'])?.status).toBe('success')
    })
    await act(async () => {})
    expect(banner()).toBeNull()
  })
})
