import { fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { installFakeApi, problem } from '../../test/fake-api'
import { renderPage } from '../../test/render'
import { ChannelLinkCard } from './ChannelLinkCard'

describe("the resident's Zalo / Messenger link card", () => {
  afterEach(() => vi.unstubAllGlobals())

  it('lists the linked chats and shows a fresh code with its expiry', async () => {
    const api = installFakeApi()
    api.on('GET', '/api/me/channel-links', {
      body: {
        contacts: [
          {
            id: '00000000-0000-4000-8000-0000000000e1',
            platform: 'zalo',
            displayName: 'Lan Nguyễn',
            accountName: 'Công an phường Bến Nghé',
            areaName: 'Tổ dân phố 3',
            linkedAt: '2026-12-01T02:00:00.000Z',
          },
        ],
      },
    })
    api.on('POST', '/api/me/channel-link-code', {
      status: 201,
      body: { code: 'NC-7K4QX2', expiresAt: '2026-12-05T03:15:00.000Z' },
    })
    renderPage(<ChannelLinkCard />)
    expect(await screen.findByText('Zalo: Lan Nguyễn — Công an phường Bến Nghé')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Lấy mã liên kết' }))
    expect((await screen.findByTestId('channel-link-code')).textContent).toBe('NC-7K4QX2')
    // Times in Việt Nam: 03:15 UTC is 10:15.
    expect(screen.getByText(/đến 05\/12\/2026 10:15/)).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Lấy mã mới' })).toBeTruthy()
  })

  it('says why when too many codes were asked for', async () => {
    const api = installFakeApi()
    api.on('GET', '/api/me/channel-links', { body: { contacts: [] } })
    api.on('POST', '/api/me/channel-link-code', {
      status: 429,
      body: {
        ...problem(429, 'Quá nhiều yêu cầu').body,
        detail: 'Anh/chị đã lấy quá nhiều mã liên kết trong một giờ.',
      },
    })
    renderPage(<ChannelLinkCard />)
    fireEvent.click(await screen.findByRole('button', { name: 'Lấy mã liên kết' }))
    expect(await screen.findByText('Anh/chị đã lấy quá nhiều mã liên kết trong một giờ.')).toBeTruthy()
    expect(screen.queryByTestId('channel-link-code')).toBeNull()
  })
})
