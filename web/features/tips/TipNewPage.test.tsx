import { translate } from '@common/i18n/messages'
import type { TTipSubmitted } from '@common/schemas/tips'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { type FakeApi, installFakeApi, problem } from '../../test/fake-api'
import { AREA, residentSession as resident } from '../../test/messaging-fixtures'
import { renderPage } from '../../test/render'
import { TipNewPage } from './TipNewPage'

// The messages the server sends for these fields (common/i18n, Vietnamese first).
const message = (key: string) => translate('vi', key)

/** The text a screen reader reads with a field: its aria-describedby targets. */
const describedBy = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent)
    .join(' ')

function submitted(description: string): TTipSubmitted {
  const now = new Date().toISOString()
  return {
    created: true,
    tip: {
      id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      reference: 'TB-2026-000123',
      category: 'suspicious_vehicle',
      description,
      status: 'new',
      lat: null,
      lng: null,
      addressText: null,
      locationSource: 'area',
      quarantinedAt: null,
      area: { id: AREA, name: 'Tổ dân phố số 1' },
      seenAt: null,
      contactPreference: 'in_app',
      isAnonymous: false,
      channel: 'web',
      createdAt: now,
      updatedAt: now,
      firstResponseDueAt: now,
      firstResponseAt: null,
      overdue: false,
      files: [],
      messages: [],
      can: [],
    },
  }
}

describe('the tip form', () => {
  let api: FakeApi
  beforeEach(() => {
    api = installFakeApi()
  })

  it('shows the server’s message beside each field it names, keeps what was typed, and resends with the same key', async () => {
    api.on('GET', '/api/auth/session', { body: { user: resident } })
    api.on(
      'POST',
      '/api/tips',
      problem(400, 'Dữ liệu chưa hợp lệ', [
        { field: 'category', message: message('tips.category_required') },
        { field: 'description', message: message('tips.description_short') },
      ]),
    )
    renderPage(<TipNewPage />, { path: '/tips/new' })
    const user = userEvent.setup()
    const description = await screen.findByRole('textbox', { name: 'Anh/chị đã thấy gì?' })
    await user.type(description, 'Xe')
    await user.click(screen.getByRole('button', { name: 'Gửi tin báo' }))

    await waitFor(() => expect(description.getAttribute('aria-invalid')).toBe('true'))
    expect(describedBy(description)).toContain('Vui lòng mô tả sự việc (ít nhất 5 ký tự).')
    const categories = screen.getByRole('group', { name: 'Loại sự việc' })
    expect(categories.getAttribute('aria-invalid')).toBe('true')
    expect(within(categories).getByText('Vui lòng chọn loại sự việc.')).toBeTruthy()
    expect((description as HTMLTextAreaElement).value).toBe('Xe')
    // Fields the server did not name are not marked.
    const address = screen.getByRole('textbox', { name: 'Hoặc nhập địa chỉ, mô tả nơi xảy ra' })
    expect(address.getAttribute('aria-invalid')).toBeNull()

    const text = 'Xe máy biển tỉnh khác để ở ngõ vắng từ tối qua'
    api.on('POST', '/api/tips', { status: 201, body: submitted(text) })
    await user.click(within(categories).getByRole('radio', { name: 'Phương tiện khả nghi' }))
    await user.type(description, ' máy biển tỉnh khác để ở ngõ vắng từ tối qua')
    await user.click(screen.getByRole('button', { name: 'Gửi tin báo' }))

    await screen.findByRole('heading', { name: 'Đã gửi tin báo' })
    expect(screen.getByRole('status').textContent).toContain('TB-2026-000123')
    const posts = api.sent('POST', '/api/tips')
    expect(posts).toHaveLength(2)
    expect(posts[1]!.body).toMatchObject({
      category: ['suspicious_vehicle'],
      description: [text],
      areaId: [AREA],
    })
    const keys = posts.map((p) => p.headers['idempotency-key'])
    expect(keys[0]).toBeTruthy()
    expect(keys[1]).toBe(keys[0])
  })

  it('asks a visitor who is not signed in for a phone and code, or to send anonymously', async () => {
    api.on('GET', '/api/auth/session', { body: { user: null } })
    api.on(
      'POST',
      '/api/tips',
      problem(400, 'Dữ liệu chưa hợp lệ', [{ field: 'phone', message: message('tips.phone_or_anonymous') }]),
    )
    renderPage(<TipNewPage />, { path: '/tips/new' })
    const user = userEvent.setup()
    const phone = await screen.findByRole('textbox', { name: 'Số điện thoại' })
    await user.click(screen.getByRole('button', { name: 'Gửi tin báo' }))
    await waitFor(() => expect(phone.getAttribute('aria-invalid')).toBe('true'))
    expect(describedBy(phone)).toBe('Vui lòng nhập số điện thoại và mã xác nhận, hoặc chọn gửi ẩn danh.')
    // Sending anonymously hides the phone: nothing identifying is asked for.
    await user.click(screen.getByRole('checkbox', { name: 'Gửi ẩn danh' }))
    expect(screen.queryByRole('textbox', { name: 'Số điện thoại' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Gửi tin báo ẩn danh' })).toBeTruthy()
  })

  it('shows a refusal that names no field as one alert, in the page’s language', async () => {
    api.on('GET', '/api/auth/session', { body: { user: resident } })
    api.on('POST', '/api/tips', {
      status: 429,
      body: {
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        detail: message('problem.rate_limited.detail'),
      },
    })
    renderPage(<TipNewPage />, { path: '/tips/new' })
    const user = userEvent.setup()
    await user.type(await screen.findByRole('textbox', { name: 'Anh/chị đã thấy gì?' }), 'Có người lạ')
    await user.click(screen.getByRole('button', { name: 'Gửi tin báo' }))
    expect((await screen.findByRole('alert')).textContent).toBe(message('problem.rate_limited.detail'))
    expect(api.sent('POST', '/api/tips')[0]!.headers['accept-language']).toBe('vi')
  })
})
