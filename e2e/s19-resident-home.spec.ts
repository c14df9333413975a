import { expect, type Page, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations, expectNoSideScroll } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

/**
 * Issue 19, point 1: a signed-in resident has a home like a chat app. A new number is asked its
 * name once; the home page shows the account, never a second sign-in; a bottom bar leads to
 * everything, with unread counts that move live; the conversation with the police and the groups
 * are one list; an anonymous tip without GPS finds its place by street; dates are typed day first.
 */
/** 360×800 on a phone; in the desk project (tests tagged @desk), 1366×800. */
const residentViewport = (project: string) =>
  project === 'desk' ? { width: 1366, height: 800 } : { width: 360, height: 800 }
// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's needs from its first argument's pattern
test.use({ viewport: async ({}, use, info) => use(residentViewport(info.project.name)) })

/**
 * A number no other journey uses: a new account (each run starts from a fresh database). The desk
 * project runs after the phone one on the same server, so it signs in a number of its own.
 */
const phoneFor = (project: string) => (project === 'desk' ? '0388 190 002' : '0388 190 001')
const e164 = (phone: string) => `+84${phone.replace(/\s/g, '').slice(1)}`
const bottomBar = (page: Page) => page.getByRole('navigation', { name: 'Điều hướng của cư dân' })

/** The number a bottom-bar tab shows (0 when it shows none), read from its accessible name. */
async function tabCount(page: Page, tab: string): Promise<number> {
  const snapshot = await bottomBar(page)
    .getByRole('link', { name: new RegExp(`^${tab}`) })
    .ariaSnapshot()
  return Number(/(\d+) mục mới/.exec(snapshot)?.[1] ?? 0)
}

/** The "Nhóm" tab showing exactly `n` (no number at all for 0). */
const groupsTab = (page: Page, n: number) =>
  bottomBar(page).getByRole('link', { name: n ? `Nhóm ${n} mục mới` : 'Nhóm', exact: true })

async function typeCodeFromSms(page: Page) {
  const phone = e164(phoneFor(test.info().project.name))
  const res = await page.request.get(`/api/dev/last-otp?phone=${encodeURIComponent(phone)}`)
  expect(res.status(), await res.text()).toBe(200)
  const { code } = (await res.json()) as { code: string }
  await page.getByLabel('Mã đăng nhập').fill(code)
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
}

async function signInByPhone(page: Page) {
  await page.getByLabel('Số điện thoại di động').fill(phoneFor(test.info().project.name))
  await page.getByRole('button', { name: 'Nhận mã qua tin nhắn' }).click()
  await typeCodeFromSms(page)
}

test('a new resident is asked their name once and finds everything from the bottom bar', {
  tag: '@desk',
}, async ({ page }) => {
  await page.goto('/')
  await expect(bottomBar(page)).toHaveCount(0)
  await page.getByRole('link', { name: 'Đăng nhập' }).click()
  await signInByPhone(page)

  await test.step('the first sign-in asks the name, once', async () => {
    await expect(page).toHaveURL(/\/welcome/)
    await expect(
      page.getByRole('heading', { level: 1, name: 'Chào mừng anh/chị đến với Nhịp Cầu' }),
    ).toBeVisible()
    await expectNoSideScroll(page)
    await expectNoA11yViolations(page)
    await page.getByLabel('Anh/chị tên là gì?').fill('Phạm Thị Hoa')
    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click()
    await expect(page).toHaveURL(/\/$/)
  })

  await test.step('home shows the account by name, not "Đăng nhập", and the bottom bar', async () => {
    await expect(page.getByRole('link', { name: 'Tài khoản của tôi (Phạm Thị Hoa)' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Đăng nhập', exact: true })).toHaveCount(0)
    const bar = bottomBar(page)
    for (const name of ['Hỏi công an', 'Nhóm', 'Tin báo của tôi', 'Cảnh báo', 'Tài khoản'])
      await expect(bar.getByRole('link', { name, exact: true })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Tin nhắn của tôi' })).toBeVisible()
    await expectNoSideScroll(page)
    await expectNoA11yViolations(page)
    await page.screenshot({
      path: `test-results/s19-home-signed-in-${residentViewport(test.info().project.name).width}.png`,
      fullPage: true,
    })
  })

  await test.step('the bottom bar leads to the account; "sign in" again asks for no code', async () => {
    await bottomBar(page).getByRole('link', { name: 'Tài khoản', exact: true }).click()
    await expect(page).toHaveURL(/\/me$/)
    await expect(bottomBar(page).getByRole('link', { name: 'Tài khoản', exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    )
    await page.goto('/sign-in?next=/tips/mine')
    await expect(page).toHaveURL(/\/tips\/mine$/)
    await expect(page.getByRole('button', { name: 'Nhận mã qua tin nhắn' })).toHaveCount(0)
  })

  await test.step('signing in again later does not ask the name again', async () => {
    await page.goto('/me')
    await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click()
    await expect(bottomBar(page)).toHaveCount(0)
    await page.goto('/sign-in')
    await signInByPhone(page)
    await expect(page).toHaveURL(/\/$/)
    await expect(page.getByRole('link', { name: 'Tài khoản của tôi (Phạm Thị Hoa)' })).toBeVisible()
  })
})

test(
  'unread answers from the police and the groups show on the bottom bar and in one list, live',
  { tag: '@desk' },
  async ({ browser }, info) => {
    test.setTimeout(120_000)
    const officer = await (await browser.newContext()).newPage()
    const lan = await (await browser.newContext({ viewport: residentViewport(info.project.name) })).newPage()
    await officer.goto('/')
    await lan.goto('/')
    await signInStaffOnce(officer, 'canbo1')
    await signInResident(lan, '0987000001')

    // Names of this run: a server kept between runs (reuseExistingServer) has the groups of earlier
    // ones, and Lan's conversation holds the answer of this journey's run in the other project.
    const run = Date.now().toString(36).slice(-4)
    const groupName = `Cư dân Phố Huế lẻ ${run}`
    const answer = `Chào chị, cháu cần giấy khai sinh và cha mẹ đi cùng. Chị mang cháu đến trụ sở phường, mã hẹn ${run}.`
    // Lan asked a question earlier; a group of her residential group exists and she joined it.
    const sent = await apiCall<{ conversationId: string }>(lan, 'POST', '/api/ask/messages', {
      clientKey: `s19-${Date.now()}`,
      body: 'Cho tôi hỏi làm căn cước cho con 14 tuổi cần giấy tờ gì?',
    })
    const units = await apiCall<{ id: string; name: string }[]>(officer, 'GET', '/api/groups/units')
    const area = units.find((u) => u.name === 'Tổ dân phố số 1')!
    const group = await apiCall<{ id: string; conversationId: string }>(officer, 'POST', '/api/groups', {
      kind: 'residential_area',
      unitId: area.id,
      name: groupName,
      joinPolicy: 'open',
    })
    const invite = await apiCall<{ code: string }>(officer, 'GET', `/api/groups/${group.id}/invite`)
    await apiCall(lan, 'POST', '/api/groups/join', { code: invite.code })

    await lan.goto('/')
    const chats = lan.getByRole('region', { name: 'Tin nhắn của tôi' })
    await expect(chats.getByRole('link', { name: /Công an khu vực — Thượng úy Lê Đức Chương/ })).toBeVisible()
    await expect(chats.getByRole('link', { name: new RegExp(groupName) })).toBeVisible()

    await test.step('the officer answers: the count appears without a reload', async () => {
      await apiCall(officer, 'POST', `/api/conversations/${sent.conversationId}/messages`, {
        clientKey: `s19-answer-${Date.now()}`,
        body: answer,
      })
      await expect(bottomBar(lan).getByRole('link', { name: /Hỏi công an.*1 mục mới/ })).toBeVisible()
      await expect(chats.getByRole('link', { name: /Lê Đức Chương.*1 tin chưa đọc/ })).toBeVisible()
      await expect(chats.getByText(answer.slice(0, 40), { exact: false })).toBeVisible()
    })

    // Lan's other groups (earlier journeys post in them) may hold unread messages of their own.
    const otherGroups = await tabCount(lan, 'Nhóm')
    await test.step('a message in the group counts on "Nhóm" and in the list', async () => {
      await apiCall(officer, 'POST', `/api/conversations/${group.conversationId}/messages`, {
        clientKey: `s19-group-${Date.now()}`,
        body: 'Tối nay 20 giờ tổ dân phố họp về phòng cháy, mời bà con tham dự.',
      })
      await expect(groupsTab(lan, otherGroups + 1)).toBeVisible()
      await expect(
        chats.getByRole('link', { name: new RegExp(`${groupName}.*1 tin chưa đọc`) }),
      ).toBeVisible()
      await expectNoSideScroll(lan)
      await expectNoA11yViolations(lan)
      await lan.screenshot({
        path: `test-results/s19-unread-${residentViewport(test.info().project.name).width}.png`,
        fullPage: true,
      })
    })

    await test.step('reading the answer clears its count', async () => {
      await bottomBar(lan)
        .getByRole('link', { name: /Hỏi công an/ })
        .click()
      await expect(lan.getByText(`mã hẹn ${run}.`, { exact: false })).toBeVisible()
      await expect(bottomBar(lan).getByRole('link', { name: 'Hỏi công an', exact: true })).toBeVisible()
      await expect(groupsTab(lan, otherGroups + 1)).toBeVisible()
    })

    await test.step('opening the group clears its count', async () => {
      await lan.goto(`/groups/${group.id}`)
      await expect(lan.getByText('Tối nay 20 giờ tổ dân phố họp', { exact: false })).toBeVisible()
      await expect(groupsTab(lan, otherGroups)).toBeVisible()
    })
  },
)

test(
  "the police's answer to a resident's tip counts on 'Tin báo của tôi', live, until the tip is opened",
  { tag: '@desk' },
  async ({ browser }, info) => {
    test.setTimeout(120_000)
    const officer = await (await browser.newContext()).newPage()
    const binh = await (await browser.newContext({ viewport: residentViewport(info.project.name) })).newPage()
    await officer.goto('/')
    await binh.goto('/')
    await signInStaffOnce(officer, 'canbo1')
    await signInResident(binh, '0987000002')

    // Bình sent a tip earlier (as the tip form does: multipart, with an idempotency key). Its street
    // is of this run: the desk project runs after the phone one on the same server.
    const lane = `ngõ ${Date.now() % 1000}`
    const csrf = (await binh.context().cookies()).find((c) => c.name === 'nhipcau_csrf')?.value ?? ''
    const sent = await binh.request.post('/api/tips', {
      headers: { 'x-csrf-token': decodeURIComponent(csrf), 'idempotency-key': `s19-tip-${Date.now()}` },
      multipart: {
        category: 'other',
        description: `Đèn đường đầu ${lane} hỏng cả tuần, tối đi lại rất nguy hiểm.`,
      },
    })
    expect(sent.status(), await sent.text()).toBe(201)
    const tipId = ((await sent.json()) as { tip: { id: string } }).tip.id
    // Other journeys on a kept server may have left answered tips of Bình's: count from where it stands.
    const before = (await apiCall<{ hasUpdate?: boolean }[]>(binh, 'GET', '/api/tips/mine')).filter(
      (t) => t.hasUpdate,
    ).length
    const tipsTab = (n: number) =>
      bottomBar(binh).getByRole(
        'link',
        n ? { name: new RegExp(`Tin báo của tôi.*${n} mục mới`) } : { name: 'Tin báo của tôi', exact: true },
      )

    await binh.goto('/')
    await expect(tipsTab(before)).toBeVisible()

    await test.step('the officer answers the tip: the count appears without a reload', async () => {
      const csrfOfficer =
        (await officer.context().cookies()).find((c) => c.name === 'nhipcau_csrf')?.value ?? ''
      const answer = await officer.request.post(`/api/tips/${tipId}/messages`, {
        headers: { 'x-csrf-token': decodeURIComponent(csrfOfficer) },
        multipart: {
          clientKey: `s19-tip-answer-${Date.now()}`,
          body: 'Cảm ơn anh, phường đã báo điện lực thay đèn trong tuần này.',
        },
      })
      expect(answer.status(), await answer.text()).toBe(201)
      await expect(tipsTab(before + 1)).toBeVisible()
      await expectNoSideScroll(binh)
    })

    await test.step('the list marks the tip; opening it clears the count', async () => {
      await tipsTab(before + 1).click()
      const card = binh.getByRole('listitem').filter({ hasText: `Đèn đường đầu ${lane} ` })
      await expect(card.getByText('Có cập nhật mới')).toBeVisible()
      await expectNoA11yViolations(binh)
      await card.getByRole('link').click()
      await expect(binh.getByText('phường đã báo điện lực thay đèn', { exact: false })).toBeVisible()
      await expect(tipsTab(before)).toBeVisible()
    })
  },
)

test('an anonymous tip without GPS finds its place by street, in readable text, with the date day first', {
  tag: '@desk',
}, async ({ page }) => {
  await page.goto('/tips/new')
  const text = page.getByLabel('Anh/chị đã thấy gì?')
  await test.step('the text box is the app typeface at body size, not a tiny monospace', async () => {
    const font = await text.evaluate((el) => ({
      family: getComputedStyle(el).fontFamily,
      size: Number.parseFloat(getComputedStyle(el).fontSize),
      width: el.getBoundingClientRect().width,
    }))
    expect(font.family).toContain('Be Vietnam Pro')
    expect(font.size).toBeGreaterThanOrEqual(16)
    expect(font.width).toBeGreaterThan(250)
  })

  await page.getByRole('radio', { name: 'Trộm cắp' }).check()
  await text.fill('Hai thanh niên đi xe không biển số, nhìn vào các nhà để xe máy ngoài sân.')
  await page.getByRole('checkbox', { name: 'Gửi ẩn danh' }).check()

  await test.step('no GPS: the street finds the residential group', async () => {
    await expect(page.getByText('Không có vị trí GPS', { exact: false })).toBeVisible()
    await page.getByLabel('Tìm theo tên tổ dân phố hoặc tên đường').fill('Ngô Thì Nhậm')
    await page.getByRole('button', { name: 'Tổ dân phố số 2, Phường Hai Bà Trưng' }).click()
    await expect(page.getByText('Đã chọn: Tổ dân phố số 2, Phường Hai Bà Trưng')).toBeVisible()
  })

  await test.step('the time seen is typed day first', async () => {
    const seen = page.getByLabel('Thấy lúc nào?')
    await expect(seen).toHaveAttribute('placeholder', 'dd/mm/yyyy hh:mm')
    await seen.fill('28/11/2026 21:30')
    await expect(seen).toHaveValue('28/11/2026 21:30')
  })
  await expectNoSideScroll(page)
  await expectNoA11yViolations(page)
  await page.screenshot({
    path: `test-results/s19-anonymous-tip-${residentViewport(test.info().project.name).width}.png`,
    fullPage: true,
  })

  await page.getByRole('button', { name: 'Gửi tin báo ẩn danh' }).click()
  await expect(page.getByRole('heading', { name: 'Mã tin báo của anh/chị' })).toBeVisible()
  const code = (await page.getByTestId('tip-code').textContent())?.trim() ?? ''
  const tip = await page.request.post('/api/tips/code/lookup', { data: { code } })
  expect(tip.status()).toBe(200)
  const view = (await tip.json()) as { area: { name: string }; seenAt: string }
  expect(view.area.name).toBe('Tổ dân phố số 2')
  expect(new Date(view.seenAt).toISOString()).toBe('2026-11-28T14:30:00.000Z')
})
