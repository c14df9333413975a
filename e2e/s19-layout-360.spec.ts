import { readFileSync } from 'node:fs'
import { expect, type Page, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { axeViolations, closeOpenContexts } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

/**
 * Issue 19, point 6: every page, resident and staff, holds at 360 px in normal and large text (no
 * sideways scrolling, WCAG 1.4.10) and axe finds no serious or critical violation. The list of pages
 * is checked against web/routes.tsx, so a new route without a line here fails this test.
 */
test.use({ viewport: { width: 360, height: 800 } })
test.setTimeout(600_000)

type Ids = Record<string, string>
interface Check {
  /** The route as written in web/routes.tsx (staff routes with their "staff/" prefix). */
  route: string
  /** null: not measured here, for the reason in the comment beside it. */
  url: (ids: Ids) => string | null
  who: 'visitor' | 'resident' | 'staff'
}

const RESIDENT: Check[] = [
  { route: '', url: () => '/', who: 'resident' },
  { route: 'ask', url: () => '/ask', who: 'resident' },
  { route: 'groups', url: () => '/groups', who: 'resident' },
  { route: 'groups/join/:code', url: (i) => `/groups/join/${i.invite}`, who: 'resident' },
  { route: 'groups/:id', url: (i) => `/groups/${i.group}`, who: 'resident' },
  { route: 'tips/new', url: () => '/tips/new', who: 'visitor' },
  { route: 'tips/mine', url: () => '/tips/mine', who: 'resident' },
  { route: 'tips/mine/:id', url: (i) => `/tips/mine/${i.tip}`, who: 'resident' },
  { route: 'tips/code', url: () => '/tips/code', who: 'visitor' },
  { route: 'movements', url: () => '/movements', who: 'resident' },
  { route: 'movements/new/:kind', url: () => '/movements/new/stay', who: 'resident' },
  { route: 'movements/guests', url: () => '/movements/guests', who: 'resident' },
  { route: 'movements/guests/form', url: () => '/movements/guests/form', who: 'resident' },
  { route: 'help', url: () => '/help', who: 'resident' },
  // Needs a case with a published help request: the S3 journey opens it.
  { route: 'help/:id', url: () => null, who: 'resident' },
  { route: 'procedures', url: () => '/procedures', who: 'visitor' },
  { route: 'procedures/:id', url: () => '/procedures/dang-ky-khai-sinh', who: 'visitor' },
  { route: 'directory', url: () => '/directory', who: 'visitor' },
  { route: 'u/:slug', url: () => '/u/phuong-hai-ba-trung', who: 'visitor' },
  { route: 'a/:slug', url: () => '/a/hai-ba-trung-tdp-1', who: 'visitor' },
  { route: 'check-caller', url: () => '/check-caller', who: 'visitor' },
  { route: 'so-lua-dao/:phone', url: () => '/so-lua-dao/0869123456', who: 'visitor' },
  { route: 'sign-in', url: () => '/sign-in', who: 'visitor' },
  { route: 'staff/sign-in', url: () => '/staff/sign-in', who: 'visitor' },
  { route: 'me', url: () => '/me', who: 'resident' },
  { route: 'welcome', url: () => '/welcome', who: 'resident' },
  { route: 'alerts', url: () => '/alerts', who: 'resident' },
  { route: 'alerts/:id', url: (i) => `/alerts/${i.alert}`, who: 'resident' },
  { route: '*', url: () => '/khong-co-trang-nay', who: 'visitor' },
]

const STAFF: Check[] = [
  { route: 'staff', url: () => '/staff', who: 'staff' },
  { route: 'staff/inbox', url: () => '/staff/inbox', who: 'staff' },
  { route: 'staff/inbox/:id', url: (i) => `/staff/inbox/${i.conversation}`, who: 'staff' },
  { route: 'staff/inbox/:id/context', url: (i) => `/staff/inbox/${i.conversation}/context`, who: 'staff' },
  { route: 'staff/canned-replies', url: () => '/staff/canned-replies', who: 'staff' },
  { route: 'staff/tips', url: () => '/staff/tips', who: 'staff' },
  { route: 'staff/tips/:id', url: (i) => `/staff/tips/${i.tip}`, who: 'staff' },
  { route: 'staff/cases', url: () => '/staff/cases', who: 'staff' },
  // Needs a case: the S3 journey opens it.
  { route: 'staff/cases/:id', url: () => null, who: 'staff' },
  { route: 'staff/map', url: () => '/staff/map', who: 'staff' },
  { route: 'staff/account', url: () => '/staff/account', who: 'staff' },
  { route: 'staff/movements', url: () => '/staff/movements', who: 'staff' },
  { route: 'staff/movements/areas', url: () => '/staff/movements/areas', who: 'staff' },
  { route: 'staff/register', url: () => '/staff/register', who: 'staff' },
  { route: 'staff/alerts', url: () => '/staff/alerts', who: 'staff' },
  { route: 'staff/scam-reports', url: () => '/staff/scam-reports', who: 'staff' },
  { route: 'staff/alerts/new', url: () => '/staff/alerts/new', who: 'staff' },
  { route: 'staff/alerts/:id', url: (i) => `/staff/alerts/${i.alert}`, who: 'staff' },
  { route: 'staff/dashboard', url: () => '/staff/dashboard', who: 'staff' },
  { route: 'staff/dashboard/records', url: () => '/staff/dashboard/records', who: 'staff' },
  { route: 'staff/procedures', url: () => '/staff/procedures', who: 'staff' },
  { route: 'staff/procedures/:id', url: () => '/staff/procedures/dang-ky-khai-sinh', who: 'staff' },
  { route: 'staff/units', url: () => '/staff/units', who: 'staff' },
  { route: 'staff/officer-photos', url: () => '/staff/officer-photos', who: 'staff' },
  { route: 'staff/unit-tree', url: () => '/staff/unit-tree', who: 'staff' },
  { route: 'staff/health', url: () => '/staff/health', who: 'staff' },
  { route: 'staff/retention', url: () => '/staff/retention', who: 'staff' },
  { route: 'staff/units/:id', url: (i) => `/staff/units/${i.ward}`, who: 'staff' },
  { route: 'staff/units/:id/sms', url: (i) => `/staff/units/${i.ward}/sms`, who: 'staff' },
  { route: 'staff/units/:id/posters', url: (i) => `/staff/units/${i.ward}/posters`, who: 'staff' },
  { route: 'staff/units/:id/channels', url: (i) => `/staff/units/${i.ward}/channels`, who: 'staff' },
  { route: 'staff/areas/:id', url: (i) => `/staff/areas/${i.area}`, who: 'staff' },
  { route: 'staff/*', url: () => '/staff/khong-co-trang-nay', who: 'staff' },
]

/**
 * Layout faults seen and not yet fixed, by route and text size: reported on the test (annotation),
 * not failed, so the check guards every other page meanwhile. Remove a line when it is fixed.
 */
const KNOWN_OVERFLOW: Record<string, string> = {}

/**
 * English phrases of the interface (en.json values that differ from Vietnamese, cut at their
 * placeholders): none may appear on a Vietnamese page (issue 19, point 5).
 */
function englishPhrases(): string[] {
  const leaves = (o: unknown, prefix = ''): [string, string][] =>
    typeof o === 'string'
      ? [[prefix, o]]
      : Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => leaves(v, `${prefix}.${k}`))
  const vi = new Map(leaves(JSON.parse(readFileSync('web/i18n/vi.json', 'utf8'))))
  const phrases = new Set<string>()
  for (const [key, text] of leaves(JSON.parse(readFileSync('web/i18n/en.json', 'utf8')))) {
    if (vi.get(key) === text) continue
    for (const part of text.split(/\{\{[^}]*\}\}/)) if (part.trim().length >= 16) phrases.add(part.trim())
  }
  return [...phrases]
}

/** Every `path:` of web/routes.tsx, staff children prefixed with "staff/". */
function declaredRoutes(): string[] {
  const source = readFileSync('web/routes.tsx', 'utf8')
  const staffAt = source.indexOf("path: 'staff',")
  const out: string[] = ['']
  for (const m of source.matchAll(/path: '([^']*)'/g)) {
    const path = m[1]!
    if ((m.index ?? 0) > staffAt && path !== 'staff') out.push(`staff/${path}`)
    else out.push(path)
  }
  return out
}

test('every route is in the layout check', () => {
  const checked = new Set([...RESIDENT, ...STAFF].map((c) => c.route))
  expect(declaredRoutes().filter((r) => !checked.has(r))).toEqual([])
})

async function setLargeText(page: Page, on: boolean) {
  await page.evaluate((v) => localStorage.setItem('nhipcau.largeText', v ? '1' : '0'), on)
}

/**
 * Width of the page and what sticks out past 360 px, to say which element breaks the layout: boxes
 * that pass the edge, and text that overflows its own box (a long unbroken word keeps every box
 * inside the page and still widens it: the group page's 362 px was an alert's link in a system line).
 */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const culprits: string[] = []
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect()
      if (r.right > width + 1 && r.width > 0 && culprits.length < 5)
        culprits.push(`${name(el)} → ${Math.round(r.right)}`)
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n && culprits.length < 8; n = walker.nextNode()) {
      const range = document.createRange()
      range.selectNodeContents(n)
      const right = Math.max(0, ...[...range.getClientRects()].map((r) => r.right))
      if (right > width + 1 && n.parentElement)
        culprits.push(
          `text "${(n.textContent ?? '').trim().slice(0, 40)}" in ${name(n.parentElement)} → ${Math.round(right)}`,
        )
    }
    return { scrollWidth: document.documentElement.scrollWidth, culprits }
  })
}

async function seriousViolations(page: Page): Promise<string[]> {
  return (await axeViolations(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

test('every page fits 360 px in normal and large text, with no serious axe violation', async ({
  browser,
}) => {
  const visitor = await (await browser.newContext()).newPage()
  const resident = await (await browser.newContext()).newPage()
  const staff = await (await browser.newContext()).newPage()
  for (const p of [visitor, resident, staff]) await p.goto('/')
  await signInResident(resident, '0987000004')
  await signInStaffOnce(staff, 'chihuy')

  // The records the pages with an id show, made through the API as the people who own them.
  const units = await apiCall<{ id: string; name: string }[]>(staff, 'GET', '/api/groups/units')
  const ids: Ids = {
    ward: units.find((u) => u.name === 'Phường Hai Bà Trưng')!.id,
    area: units.find((u) => u.name === 'Tổ dân phố số 1')!.id,
  }
  const group = await apiCall<{ id: string }>(staff, 'POST', '/api/groups', {
    kind: 'residential_area',
    unitId: ids.area,
    name: 'Cư dân Tổ dân phố số 1 — kiểm tra giao diện',
    joinPolicy: 'open',
  })
  ids.group = group.id
  ids.invite = (await apiCall<{ code: string }>(staff, 'GET', `/api/groups/${group.id}/invite`)).code
  await apiCall(resident, 'POST', '/api/groups/join', { code: ids.invite })
  ids.conversation = (
    await apiCall<{ conversationId: string }>(resident, 'POST', '/api/ask/messages', {
      clientKey: `layout-${Date.now()}`,
      body: 'Cho tôi hỏi thủ tục đăng ký tạm trú cho người thuê trọ ở Phố Huế cần những giấy tờ gì ạ?',
    })
  ).conversationId
  const draft = await apiCall<{ id: string }>(staff, 'POST', '/api/alerts', {
    kind: 'scam_warning',
    headline: 'Cảnh báo giả danh công an gọi điện yêu cầu chuyển tiền',
    description:
      'Nhiều người dân nhận cuộc gọi tự xưng cán bộ công an, đề nghị chuyển tiền để "xác minh tài khoản".',
    scope: { kind: 'unit' },
  })
  ids.alert = (await apiCall<{ id: string }>(staff, 'POST', `/api/alerts/${draft.id}/submit`)).id
  const csrf = (await resident.context().cookies()).find((c) => c.name === 'nhipcau_csrf')?.value ?? ''
  const tip = await resident.request.post('/api/tips', {
    headers: { 'x-csrf-token': decodeURIComponent(csrf), 'idempotency-key': `layout-tip-${Date.now()}` },
    multipart: {
      category: 'suspicious_vehicle',
      description: 'Xe tải nhỏ không biển số đỗ trước ngõ 12 Phố Huế từ 22 giờ, hai người nhìn vào các nhà.',
      contactPreference: 'in_app',
      locationSource: 'area',
    },
  })
  expect(tip.status(), await tip.text()).toBe(201)
  ids.tip = ((await tip.json()) as { tip: { id: string } }).tip.id

  const pageOf = { visitor, resident, staff }
  const english = englishPhrases()
  /** Checks the pages in order, normal text then large, and returns what was wrong with them. */
  const checkInTurn = async (checks: Check[], pages: Page[]): Promise<string[]> => {
    const problems: string[] = []
    for (const large of [false, true]) {
      for (const p of pages) await setLargeText(p, large)
      for (const check of checks) {
        const page = pageOf[check.who]
        const url = check.url(ids)
        if (!url) continue
        await page.goto(url)
        const label = `${url} (${large ? 'large' : 'normal'} text)`
        // A page measured before it has rendered would pass for nothing: each shows a heading or an error.
        const shown = await page
          .locator('main h1, main [role="alert"]')
          .first()
          .waitFor({ timeout: 5_000 })
          .then(() => true)
          .catch(() => false)
        if (!shown) problems.push(`${label}: no heading or error shown`)
        if (process.env.SCREENSHOT_DIR)
          await page.screenshot({
            path: `${process.env.SCREENSHOT_DIR}/${url.replace(/[^a-z0-9]+/gi, '_')}-${large ? 'large' : 'normal'}.png`,
            fullPage: true,
          })
        const { scrollWidth, culprits } = await overflow(page)
        const known = KNOWN_OVERFLOW[`${check.route} ${large ? 'large' : 'normal'}`]
        if (scrollWidth > 360 && known)
          test.info().annotations.push({ type: 'known layout fault', description: known })
        else if (scrollWidth > 360) problems.push(`${label}: ${scrollWidth} px wide; ${culprits.join('; ')}`)
        if (!large) {
          const text = await page.locator('body').innerText()
          for (const phrase of english.filter((e) => text.includes(e)))
            problems.push(`${label}: English "${phrase}"`)
        }
        for (const v of await seriousViolations(page)) problems.push(`${label}: axe ${v}`)
      }
    }
    return problems
  }
  // The visitor's pages are public and read nothing the others change, so they are checked beside
  // the signed-in ones, in a page of their own; the resident's and the staff's stay in one sequence
  // (the staff's pages come after the resident's in each text size, as a reading officer would).
  const all = [...RESIDENT, ...STAFF]
  const byVisitor = all.filter((c) => c.who === 'visitor')
  const signedIn = all.filter((c) => c.who !== 'visitor')
  const problems = (
    await Promise.all([checkInTurn(signedIn, [resident, staff]), checkInTurn(byVisitor, [visitor])])
  ).flat()
  expect(problems).toEqual([])
})
