import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { checkGuestForm, emptyGuest, guestRequestRow, parseDmy } from './guest-form'

/** A localStorage that outlives module reloads, as the browser's does across page loads. */
const store = new Map<string, string>()
const storage = {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
  removeItem: (k: string) => void store.delete(k),
}

const AREA = '00000000-0000-4000-8000-0000000000a1'
const guestList = (clientKey: string) => ({
  clientKey,
  areaId: AREA,
  address: 'Khách sạn Hoa Sen, số 3 phố Hàng Bè',
  rows: [
    guestRequestRow({
      ...emptyGuest(),
      fullName: 'Phạm Văn Dũng',
      idNumber: '001099001111',
      fromDate: '04/12/2026',
      toDate: '05/12/2026',
    }),
  ],
})

/**
 * The server as the outbox meets it: lists are kept by client key (a repeated key gets the first
 * list back, 200), and while `offline` every request fails as a browser's fetch does; with
 * `loseAnswer`, the server takes the list but the answer never reaches the phone.
 */
function fakeServer() {
  const lists = new Map<string, { id: string; guests: number }>()
  const posts: { path: string; clientKey: string }[] = []
  const headerKeys: (string | undefined)[] = []
  const state = { offline: false, loseAnswer: false }
  const fetch = vi.fn(async (path: string, init: RequestInit) => {
    if (state.offline) throw new TypeError('Failed to fetch')
    const body = JSON.parse(String(init.body)) as { clientKey: string; rows?: unknown[] }
    posts.push({ path, clientKey: body.clientKey })
    headerKeys.push((init.headers as Record<string, string>)['idempotency-key'])
    const first = lists.get(body.clientKey)
    if (!first) lists.set(body.clientKey, { id: `list-${lists.size + 1}`, guests: body.rows?.length ?? 1 })
    if (state.loseAnswer) {
      state.loseAnswer = false
      throw new TypeError('Failed to fetch')
    }
    const list = lists.get(body.clientKey)!
    return new Response(
      JSON.stringify({ created: !first, guestList: { id: list.id, guestCount: list.guests }, guests: [] }),
      { status: first ? 200 : 201, headers: { 'content-type': 'application/json' } },
    )
  })
  return { lists, posts, headerKeys, state, fetch }
}

async function freshOutbox() {
  vi.resetModules()
  return import('./report-outbox')
}

/** A page's window, for its online event (the outbox listens on the global object). */
function newWindow() {
  const win = new EventTarget()
  vi.stubGlobal('addEventListener', win.addEventListener.bind(win))
  vi.stubGlobal('dispatchEvent', win.dispatchEvent.bind(win))
}

beforeEach(() => {
  store.clear()
  vi.stubGlobal('localStorage', storage)
  newWindow()
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('a guest list in the movement-report outbox', () => {
  it('is kept while offline, survives a page load, and arrives once when the phone is back online', async () => {
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    server.state.offline = true
    const outbox = await freshOutbox()
    expect(await outbox.sendGuestList(guestList('list-key-0001'))).toBeNull()
    expect(outbox.pendingReports()).toMatchObject([
      { target: 'guest-list', request: { clientKey: 'list-key-0001', address: expect.any(String) } },
    ])
    await vi.advanceTimersByTimeAsync(10_000) // retries while offline: nothing arrives
    expect(server.lists.size).toBe(0)

    // The page is closed (its retries stop) and opened again; then the connection comes back.
    vi.clearAllTimers()
    newWindow()
    const reopened = await freshOutbox()
    expect(reopened.pendingReports()).toHaveLength(1)
    server.state.offline = false
    globalThis.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(server.posts).toEqual([{ path: '/api/movements/guest-lists', clientKey: 'list-key-0001' }])
    expect(server.lists.size).toBe(1)
    expect(reopened.pendingReports()).toEqual([])
    await vi.advanceTimersByTimeAsync(120_000)
    expect(server.posts).toHaveLength(1)
  })

  it('sent again with its key when the answer was lost: the server keeps one list, the outbox empties', async () => {
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    server.state.loseAnswer = true
    const outbox = await freshOutbox()
    expect(await outbox.sendGuestList(guestList('list-key-0002'))).toBeNull()
    await vi.advanceTimersByTimeAsync(2000)
    expect(server.posts.map((p) => p.clientKey)).toEqual(['list-key-0002', 'list-key-0002'])
    // The resend carries the same Idempotency-Key: the list's own client key.
    expect(server.headerKeys).toEqual(['list-key-0002', 'list-key-0002'])
    expect(server.lists.size).toBe(1)
    expect(outbox.pendingReports()).toEqual([])
  })

  it('shares the outbox with movement reports, each to its own endpoint', async () => {
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    server.state.offline = true
    const outbox = await freshOutbox()
    await outbox.sendReport({
      kind: 'tenant_out',
      clientKey: 'report-key-0001',
      person: { fullName: 'Đặng Thị Thu', idKind: 'citizen_id', idNumber: '001099003333' },
      fromDate: '2026-12-01',
    })
    await outbox.sendGuestList(guestList('list-key-0003'))
    server.state.offline = false
    await outbox.flushReports()
    expect(server.posts).toEqual([
      { path: '/api/movements/reports', clientKey: 'report-key-0001' },
      { path: '/api/movements/guest-lists', clientKey: 'list-key-0003' },
    ])
    expect(outbox.pendingReports()).toEqual([])
  })
})

describe('the multi-row guest form’s checks', () => {
  it('reads dd/mm/yyyy dates and refuses impossible ones', () => {
    expect(parseDmy('05/12/2026')).toBe('2026-12-05')
    expect(parseDmy('5/1/2027')).toBe('2027-01-05')
    expect(parseDmy('31/02/2027')).toBeNull()
    expect(parseDmy('2026-12-05')).toBeNull()
  })

  it('names each wrong row and field in Vietnamese, as the server would', () => {
    const good = {
      ...emptyGuest(),
      fullName: 'Phạm Văn Dũng',
      idNumber: '001099001111',
      fromDate: '04/12/2026',
      toDate: '05/12/2026',
    }
    const words = {
      dateFormat: 'Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/12/2026.',
      invalid: 'Thông tin chưa đúng.',
      duplicate: (row: number) => `Số giấy tờ trùng với khách ${row}.`,
    }
    const checked = checkGuestForm(
      {
        areaId: '',
        address: 'Khách sạn Hoa Sen',
        rows: [
          good,
          { ...good, idNumber: '12345', toDate: '01/12/2026' },
          { ...good, idNumber: '001099002222', fromDate: '2026-12-04' },
          { ...good },
        ],
      },
      'vi',
      words,
    )
    expect(checked.list).toEqual({ areaId: 'Tổ dân phố: anh/chị chọn nơi người đó ở.' })
    expect(checked.rows).toEqual([
      {},
      {
        'person.idNumber': 'Số định danh cá nhân phải gồm đúng 12 chữ số.',
        toDate: 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.',
      },
      { fromDate: words.dateFormat },
      { 'person.idNumber': 'Số giấy tờ trùng với khách 1.' },
    ])
  })
})
