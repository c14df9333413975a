import type { TRetentionStatus, TUnitStorage } from '@common/schemas/retention'
import { screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { installFakeApi, problem } from '../../test/fake-api'
import { renderPage } from '../../test/render'
import { RetentionPage } from './RetentionPage'

const GB = 1024 ** 3
const storage: TUnitStorage = {
  warnPercent: 80,
  items: [
    {
      unitId: '00000000-0000-4000-8000-000000000001',
      unitName: 'Phường Bến Nghé',
      bytes: 5 * GB,
      quotaBytes: 50 * GB,
      level: 'ok',
    },
    {
      unitId: '00000000-0000-4000-8000-000000000002',
      unitName: 'Phường Đa Kao',
      bytes: 42 * GB,
      quotaBytes: 50 * GB,
      level: 'warning',
    },
    {
      unitId: '00000000-0000-4000-8000-000000000003',
      unitName: 'Phường Tân Định',
      bytes: 50 * GB,
      quotaBytes: 50 * GB,
      level: 'full',
    },
  ],
}
const status: TRetentionStatus = {
  items: [
    {
      name: 'otp_codes',
      period: 'one-time sign-in codes: 1 day',
      lastRunAt: '2026-12-04T03:00:05.000Z',
      removed: 1234,
      details: {},
    },
    { name: 'tips', period: 'tips: 24 months', lastRunAt: null, removed: null, details: {} },
  ],
  nextRunAt: '2026-12-05T03:00:00.000Z',
}

const unit = (name: string) => screen.getByRole('heading', { name }).closest('li') as HTMLElement
const rule = (name: RegExp) => screen.getByRole('heading', { name }).closest('li') as HTMLElement

describe('the retention and storage page', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows an administrator each unit against its quota and each rule with its last and next run', async () => {
    const api = installFakeApi()
    api.on('GET', '/api/admin/storage', { body: storage })
    api.on('GET', '/api/admin/retention', { body: status })
    renderPage(<RetentionPage />)
    expect(await screen.findByRole('heading', { name: 'Lưu giữ dữ liệu và dung lượng' })).toBeTruthy()

    await screen.findByRole('heading', { name: 'Phường Bến Nghé' })
    expect(unit('Phường Bến Nghé').getAttribute('data-level')).toBe('ok')
    expect(within(unit('Phường Bến Nghé')).getByText('5 GB / 50 GB (10%)')).toBeTruthy()
    expect(within(unit('Phường Bến Nghé')).queryByText(/Sắp đầy|Đã đầy/)).toBeNull()
    expect(within(unit('Phường Đa Kao')).getByText('42 GB / 50 GB (84%)')).toBeTruthy()
    expect(within(unit('Phường Đa Kao')).getByText(/^Sắp đầy/)).toBeTruthy()
    expect(within(unit('Phường Tân Định')).getByText(/^Đã đầy/)).toBeTruthy()

    // Times in Việt Nam, dd/mm/yyyy: 03:00 UTC is 10:00.
    expect(await screen.findByText('Lần chạy tiếp theo: 05/12/2026 10:00')).toBeTruthy()
    const otp = rule(/Mã đăng nhập dùng một lần/)
    expect(within(otp).getByText('1 ngày')).toBeTruthy()
    expect(within(otp).getByText('04/12/2026 10:00')).toBeTruthy()
    expect(within(otp).getByText('1.234')).toBeTruthy()
    const tips = rule(/Nội dung tin báo/)
    expect(within(tips).getByText('24 tháng sau khi tin báo hoặc vụ việc được đóng')).toBeTruthy()
    expect(within(tips).getByText('Chưa chạy')).toBeTruthy()
  })

  it('shows a commander the storage only, and refuses other staff', async () => {
    const api = installFakeApi()
    api.on('GET', '/api/admin/storage', { body: { ...storage, items: storage.items.slice(1, 2) } })
    api.on('GET', '/api/admin/retention', problem(403, 'Forbidden'))
    const first = renderPage(<RetentionPage />)
    expect(await screen.findByRole('heading', { name: 'Phường Đa Kao' })).toBeTruthy()
    expect(screen.queryByRole('heading', { name: 'Thời hạn lưu giữ' })).toBeNull()
    expect(screen.queryByRole('alert')).toBeNull()
    first.unmount()

    api.on('GET', '/api/admin/storage', problem(403, 'Forbidden'))
    renderPage(<RetentionPage />)
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Trang này dành cho quản trị viên và chỉ huy đơn vị.',
    )
  })
})
