import type { TChannelAccountList } from '@common/schemas/channel-console'
import { fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { installFakeApi, problem } from '../../test/fake-api'
import { renderPage } from '../../test/render'
import { StaffChannelsPage } from './StaffChannelsPage'

const UNIT = '00000000-0000-4000-8000-00000000000a'
const ROUTE = '/staff/units/:id/channels'
const list = (): TChannelAccountList => ({
  zaloRedirectUri: 'https://nhipcau.test/api/channels/zalo/oauth/callback',
  accounts: [
    {
      id: '00000000-0000-4000-8000-0000000000b1',
      unitId: UNIT,
      platform: 'zalo',
      externalId: '4400550066007700',
      name: 'OA Công an phường',
      status: 'active',
      webhookUrl: 'https://nhipcau.test/api/channels/zalo/00000000-0000-4000-8000-0000000000b1/webhook',
      tokenExpiresAt: '2026-12-06T03:00:00.000Z',
      lastEventAt: '2026-12-05T02:00:00.000Z',
      lastError: 'channels.error.token_invalid',
      createdAt: '2026-12-01T00:00:00.000Z',
    },
  ],
})

function setUp() {
  const api = installFakeApi()
  api.on('GET', `/api/units/${UNIT}`, { body: { unit: { name: 'Phường Bến Nghé' } } })
  api.on('GET', `/api/units/${UNIT}/channels`, { body: list() })
  return api
}

describe('the unit channels page', () => {
  afterEach(() => vi.unstubAllGlobals())

  it("shows the connected OA's status, webhook URL and last error, and disconnects it after a confirmation", async () => {
    const api = setUp()
    let disabled = false
    api.on('GET', `/api/units/${UNIT}/channels`, () => {
      const body = list()
      if (disabled) body.accounts[0]!.status = 'disabled'
      return { body }
    })
    api.on('DELETE', `/api/units/${UNIT}/channels/00000000-0000-4000-8000-0000000000b1`, () => {
      disabled = true
      return { body: { ...list().accounts[0], status: 'disabled' } }
    })
    vi.stubGlobal('confirm', () => true)
    renderPage(<StaffChannelsPage />, { path: `/staff/units/${UNIT}/channels`, route: ROUTE })
    const card = await screen.findByTestId('channel-zalo')
    expect(within(card).getByText('Đang hoạt động')).toBeTruthy()
    expect(within(card).getByText(/api\/channels\/zalo\/.+\/webhook$/)).toBeTruthy()
    expect(within(card).getByText(/Mã truy cập của trang\/OA đã hết hạn/)).toBeTruthy()
    // Nothing secret is on the page: the list never carries it, the forms start empty.
    expect(document.body.textContent).not.toMatch(/secret-|token-/)

    fireEvent.click(within(card).getByRole('button', { name: 'Ngắt kết nối' }))
    expect(await within(card).findByText('Đã ngắt kết nối')).toBeTruthy()
    expect(within(card).queryByRole('button', { name: 'Ngắt kết nối' })).toBeNull()
    expect(
      api.sent('DELETE', `/api/units/${UNIT}/channels/00000000-0000-4000-8000-0000000000b1`),
    ).toHaveLength(1)
  })

  it("starts Zalo's consent flow with the app's ids and goes to the consent page", async () => {
    const api = setUp()
    api.on('POST', `/api/units/${UNIT}/channels/zalo/oauth`, {
      body: { authorizationUrl: 'https://oauth.zaloapp.test/v4/oa/permission?x=1', redirectUri: 'r' },
    })
    const assign = vi.fn()
    vi.stubGlobal('location', { ...window.location, assign })
    renderPage(<StaffChannelsPage />, { path: `/staff/units/${UNIT}/channels`, route: ROUTE })
    const form = (await screen.findByRole('heading', { name: 'Kết nối Zalo OA' })).closest('form')!
    expect(within(form).getByText('https://nhipcau.test/api/channels/zalo/oauth/callback')).toBeTruthy()
    fireEvent.change(within(form).getByLabelText('App ID (Zalo for Developers)'), {
      target: { value: '1122334455' },
    })
    fireEvent.change(within(form).getByLabelText(/Khóa bí mật của ứng dụng/), {
      target: { value: 'app-secret-1' },
    })
    fireEvent.change(within(form).getByLabelText(/Khóa bí mật OA/), { target: { value: 'oa-secret-12' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Kết nối với Zalo' }))
    await vi.waitFor(() =>
      expect(assign).toHaveBeenCalledWith('https://oauth.zaloapp.test/v4/oa/permission?x=1'),
    )
    expect(api.sent('POST', `/api/units/${UNIT}/channels/zalo/oauth`)[0]?.body).toMatchObject({
      appId: '1122334455',
      appSecret: 'app-secret-1',
      oaSecret: 'oa-secret-12',
    })
  })

  it("connects the Facebook Page, shows the server's field error, and says why Zalo's consent failed", async () => {
    const api = setUp()
    api.on('PUT', `/api/units/${UNIT}/channels/messenger`, (req) =>
      (req.body as { pageId: string }).pageId === 'abc'
        ? problem(400, 'Dữ liệu chưa hợp lệ', [{ field: 'pageId', message: 'Page ID chỉ gồm chữ số.' }])
        : { body: { ...list().accounts[0], platform: 'messenger', name: 'Trang phường' } },
    )
    renderPage(<StaffChannelsPage />, {
      path: `/staff/units/${UNIT}/channels?error=channels.oauth.denied`,
      route: ROUTE,
    })
    expect(await screen.findByText(/Zalo chưa cấp quyền/)).toBeTruthy()
    const form = (await screen.findByRole('heading', { name: 'Kết nối Facebook Page' })).closest('form')!
    const pageId = within(form).getByLabelText('Page ID')
    fireEvent.change(pageId, { target: { value: 'abc' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Kết nối Facebook Page' }))
    expect(await within(form).findByText('Page ID chỉ gồm chữ số.')).toBeTruthy()
    expect(pageId.getAttribute('aria-invalid')).toBe('true')
    fireEvent.change(pageId, { target: { value: '100200300' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Kết nối Facebook Page' }))
    expect(await within(form).findByText('Đã kết nối Trang phường.')).toBeTruthy()
  })

  it('tells an officer who may not manage the unit why there is nothing to see', async () => {
    const api = setUp()
    api.on('GET', `/api/units/${UNIT}/channels`, problem(403, 'Forbidden'))
    renderPage(<StaffChannelsPage />, { path: `/staff/units/${UNIT}/channels`, route: ROUTE })
    expect(await screen.findByText(/Chỉ chỉ huy của đơn vị/)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Kết nối với Zalo' })).toBeNull()
  })
})
