import type { TSystemHealth } from '@common/schemas/health'
import { screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type FakeApi, installFakeApi, problem } from '../../test/fake-api'
import { renderPage } from '../../test/render'
import { SystemHealthPage } from './SystemHealthPage'

const healthy: TSystemHealth = {
  checkedAt: '2026-12-05T04:00:00.000Z',
  database: { kind: 'postgres', reachable: true, latencyMs: 1.4, sizeBytes: 48 * 1024 ** 2 },
  redis: { configured: true, reachable: false },
  jobs: { due: 3, oldestWaitSeconds: 12 * 60, dead: 0 },
  disk: { path: '/var/lib/nhipcau', freeBytes: 1024 ** 3, totalBytes: 40 * 1024 ** 3 },
  lastBackup: { at: '2026-12-05T02:30:00.000Z', file: '/var/backups/nhipcau/n.tar.gz', bytes: 5 * 1024 ** 2 },
  version: { app: '0.1.0', commit: 'a884b81c0ffe' },
  uptimeSeconds: 3 * 86_400 + 4 * 3_600 + 5,
}

const card = (name: string) =>
  screen.getByRole('heading', { name: new RegExp(name) }).closest('li') as HTMLElement

describe('the system health page', () => {
  let api: FakeApi
  afterEach(() => vi.unstubAllGlobals())

  it('tells an administrator what is up, what is down and what needs a look', async () => {
    api = installFakeApi()
    api.on('GET', '/api/admin/health', { body: healthy })
    renderPage(<SystemHealthPage />)
    expect(await screen.findByRole('heading', { name: 'Tình trạng hệ thống' })).toBeTruthy()

    const db = await screen.findByRole('heading', { name: /Cơ sở dữ liệu/ })
    expect(db.closest('li')?.getAttribute('data-level')).toBe('ok')
    expect(within(card('Cơ sở dữ liệu')).getByText('48 MB')).toBeTruthy()
    expect(within(card('Cơ sở dữ liệu')).getByText('1,4 ms')).toBeTruthy()
    // Redis configured but away: marked down, with what that means for users.
    expect(card('Redis').getAttribute('data-level')).toBe('down')
    expect(within(card('Redis')).getByText('Không kết nối được')).toBeTruthy()
    // 12 minutes waiting: the queue is behind.
    expect(within(card('Tác vụ nền')).getByText('Đang bị chậm')).toBeTruthy()
    expect(within(card('Tác vụ nền')).getByText('12 phút')).toBeTruthy()
    // 1 GB of 40 GB free: under the threshold.
    expect(within(card('Ổ đĩa')).getByText('Sắp đầy')).toBeTruthy()
    expect(within(card('Ổ đĩa')).getByText('1 GB / 40 GB (3%)')).toBeTruthy()
    expect(within(card('Bản sao lưu')).getByText('5 MB')).toBeTruthy()
    expect(within(card('Bản sao lưu')).getByText(/1 giờ 30 phút trước/)).toBeTruthy()
    expect(within(card('Phiên bản')).getByText('a884b81c0ffe')).toBeTruthy()
    expect(within(card('Phiên bản')).getByText('3 ngày 4 giờ')).toBeTruthy()
  })

  it('says so when no backup was ever made, and when the caller is not an administrator', async () => {
    api = installFakeApi()
    api.on('GET', '/api/admin/health', { body: { ...healthy, lastBackup: null } })
    const first = renderPage(<SystemHealthPage />)
    await screen.findByRole('heading', { name: /Bản sao lưu/ })
    expect(card('Bản sao lưu').getAttribute('data-level')).toBe('warn')
    expect(within(card('Bản sao lưu')).getByText('Chưa có')).toBeTruthy()
    first.unmount()

    api.on('GET', '/api/admin/health', problem(403, 'Forbidden'))
    renderPage(<SystemHealthPage />)
    expect((await screen.findByRole('alert')).textContent).toBe('Trang này dành cho quản trị viên.')
  })
})
