import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { type FakeApi, installFakeApi } from '../../test/fake-api'
import { renderPage } from '../../test/render'
import { CannedPicker } from './CannedPicker'

const ID = '11111111-1111-4111-8111-111111111111'
const replies = [
  {
    id: 'a',
    unitId: 'u',
    title: 'Giờ tiếp dân',
    body: 'Chào chị Lan, phường tiếp dân từ 7h30.',
    shared: true,
  },
  { id: 'b', unitId: 'u', title: 'Hẹn gặp', body: 'Chiều nay tôi qua nhà chị.', shared: false },
]

describe('the canned-reply picker above the officer’s text box', () => {
  let api: FakeApi
  beforeEach(() => {
    api = installFakeApi()
    api.on('GET', `/api/conversations/${ID}/canned-replies`, { body: replies })
  })

  it('searches without diacritics, moves with the arrow keys, inserts with Enter and closes', async () => {
    const onPick = vi.fn()
    renderPage(<CannedPicker conversationId={ID} onPick={onPick} />)
    const toggle = await screen.findByRole('button', { name: 'Chèn câu trả lời mẫu' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    await userEvent.click(toggle)
    const search = screen.getByLabelText('Tìm mẫu theo tên hoặc nội dung')
    expect(document.activeElement).toBe(search)
    const list = screen.getByRole('list', { name: 'Danh sách câu trả lời mẫu' })
    await waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(2))
    expect(list.textContent).toContain('Chia sẻ cho đơn vị')
    expect(list.textContent).toContain('Cá nhân')
    await userEvent.type(search, 'gio tiep')
    expect(within(list).getAllByRole('button')).toHaveLength(1)
    await userEvent.keyboard('{ArrowDown}')
    expect(document.activeElement?.textContent).toContain('Giờ tiếp dân')
    await userEvent.keyboard('{Enter}')
    expect(onPick).toHaveBeenCalledWith('Chào chị Lan, phường tiếp dân từ 7h30.')
    expect(screen.queryByRole('list', { name: 'Danh sách câu trả lời mẫu' })).toBeNull()
  })

  it('closes with Escape and gives the focus back to its button', async () => {
    renderPage(<CannedPicker conversationId={ID} onPick={() => {}} />)
    const toggle = await screen.findByRole('button', { name: 'Chèn câu trả lời mẫu' })
    await userEvent.click(toggle)
    fireEvent.keyDown(screen.getByLabelText('Tìm mẫu theo tên hoặc nội dung'), { key: 'Escape' })
    expect(screen.queryByLabelText('Tìm mẫu theo tên hoặc nội dung')).toBeNull()
    expect(document.activeElement).toBe(toggle)
  })
})
