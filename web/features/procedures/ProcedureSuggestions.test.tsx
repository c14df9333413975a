import { onlineManager } from '@tanstack/react-query'
import { cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type FakeApi, installFakeApi } from '../../test/fake-api'
import { conversationView, RESIDENT } from '../../test/messaging-fixtures'
import { renderPage } from '../../test/render'
import { InboxContext } from '../messaging/InboxContext'
import { ProcedureSuggestions } from './ProcedureSuggestions'

const STAY = 'Mẹ vợ em từ quê lên ở chừng 2 tuần để chăm cháu, em có phải khai báo gì không'
const MARRIAGE = 'Hai đứa em muốn đăng ký kết hôn thì làm ở đâu ạ'

const stay = {
  id: 'thong-bao-luu-tru',
  nameVi: 'Thông báo lưu trú',
  nameEn: 'Stay notification',
  category: 'cu-tru',
  snippet: 'Thông báo trước 23 giờ.',
  score: 2.1,
  why: [{ said: 'lên ở chừng 2 tuần', means: 'thông báo lưu trú' }],
}
const wrongCard = { ...stay, id: 'dang-ky-thuong-tru', nameVi: 'Đăng ký thường trú', why: [] }

/** The ask page's composer as far as suggestions go: a text box and what it seems to be about. */
function Ask() {
  const [text, setText] = useState('')
  return (
    <>
      <label>
        Nội dung tin nhắn
        <textarea value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <ProcedureSuggestions text={text} />
    </>
  )
}

const box = () => screen.getByLabelText('Nội dung tin nhắn')
const searches = (api: FakeApi) => api.sent('GET', '/api/procedures/search')
const setOnline = (online: boolean) => {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online })
  window.dispatchEvent(new Event(online ? 'online' : 'offline'))
}

describe('procedures suggested while a resident types a question', () => {
  let api: FakeApi
  beforeEach(() => {
    api = installFakeApi()
    api.on('GET', '/api/procedures/search', (req) =>
      req.query.get('q')?.includes('kết hôn')
        ? { body: { query: req.query.get('q'), none: true, results: [] } }
        : { body: { query: req.query.get('q'), none: false, results: [stay] } },
    )
  })
  afterEach(() => {
    // Unmount first: going back online would otherwise refetch through the real fetch. Unmounted,
    // React Query no longer listens to the browser, so it is told too.
    cleanup()
    setOnline(true)
    onlineManager.setOnline(true)
    vi.unstubAllGlobals()
  })

  it('shows the matching procedure and why, once typing pauses, with one search for the whole question', async () => {
    const user = userEvent.setup()
    renderPage(<Ask />)
    await user.type(box(), STAY)
    const region = await screen.findByRole('region', { name: 'Có thể anh/chị cần thủ tục này' })
    const [card] = within(region).getAllByTestId('procedure-suggestion')
    expect(within(card!).getByRole('link', { name: 'Thông báo lưu trú' }).getAttribute('href')).toBe(
      '/procedures/thong-bao-luu-tru',
    )
    expect(card!.textContent).toContain('vì: lên ở chừng 2 tuần → thông báo lưu trú')
    expect(searches(api)).toHaveLength(1)
    expect(searches(api)[0]!.query.get('q')).toBe(STAY)
    expect(searches(api)[0]!.query.get('limit')).toBe('3')
  })

  it('shows nothing when the search says no procedure fits', async () => {
    const user = userEvent.setup()
    renderPage(<Ask />)
    await user.type(box(), MARRIAGE)
    await waitFor(() => expect(searches(api)).toHaveLength(1))
    // Give the answer time to arrive and render (it must render nothing).
    await new Promise((r) => setTimeout(r, 50))
    expect(screen.queryByRole('region', { name: 'Có thể anh/chị cần thủ tục này' })).toBeNull()
    expect(screen.queryAllByTestId('procedure-suggestion')).toHaveLength(0)
  })

  it('hides the suggestions offline, and asks nothing while offline', async () => {
    const user = userEvent.setup()
    renderPage(<Ask />)
    await user.type(box(), STAY)
    await screen.findByRole('region', { name: 'Có thể anh/chị cần thủ tục này' })
    setOnline(false)
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Có thể anh/chị cần thủ tục này' })).toBeNull(),
    )
    await user.type(box(), ' và đăng ký tạm trú')
    await new Promise((r) => setTimeout(r, 600))
    expect(searches(api)).toHaveLength(1)
    expect(screen.queryAllByTestId('procedure-suggestion')).toHaveLength(0)
  })

  it('cancels the search of a question the resident has since rewritten, and clears once the box is empty', async () => {
    const signals: AbortSignal[] = []
    const answer = api.fetch
    let release: () => void = () => {}
    const held = new Promise<void>((r) => {
      release = r
    })
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
      if (init.signal) signals.push(init.signal)
      // The first question's answer is slow: it is still on its way when the question changes.
      if (signals.length === 1) await held
      return answer(input, init)
    })
    const user = userEvent.setup()
    renderPage(<Ask />)
    await user.type(box(), 'con em mới sinh thì làm giấy khai sinh ở đâu')
    await waitFor(() => expect(signals).toHaveLength(1))
    await user.clear(box())
    await user.type(box(), STAY)
    await waitFor(() => expect(signals).toHaveLength(2))
    expect(signals[0]!.aborted).toBe(true)
    expect(signals[1]!.aborted).toBe(false)
    release()
    await screen.findByRole('link', { name: 'Thông báo lưu trú' })
    await user.clear(box())
    expect(screen.queryByRole('region', { name: 'Có thể anh/chị cần thủ tục này' })).toBeNull()
  })
})

describe('the officer’s suggested procedures', () => {
  it('shows no card when the search says none, even if a result came with it', async () => {
    const api = installFakeApi()
    api.on('GET', /\/canned-replies$/, { body: [] })
    api.on('GET', '/api/procedures/search', { body: { query: MARRIAGE, none: true, results: [wrongCard] } })
    const c = conversationView(RESIDENT.displayName, {
      lastMessage: { excerpt: MARRIAGE, authorName: RESIDENT.displayName, isStaff: false },
    })
    renderPage(<InboxContext conversation={c} onUseCanned={() => {}} />)
    await screen.findByText('Câu hỏi này không thuộc thủ tục nào trong danh mục: không gợi ý thẻ thủ tục.')
    expect(screen.queryByRole('button', { name: /Đăng ký thường trú/ })).toBeNull()
    vi.unstubAllGlobals()
  })
})
