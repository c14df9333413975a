import { expect, type Page, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts } from './support/browser'
import { cameraClip, motorbikePhoto } from './support/media-fixtures'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

const THANKS = 'Cảm ơn bà con — chiếc xe máy đã được trả lại cho chủ.'
const blocked: string[] = []

async function newPage(browser: import('@playwright/test').Browser, geo = false): Promise<Page> {
  const context = await browser.newContext(
    geo ? { geolocation: { latitude: 21.0121, longitude: 105.8492 }, permissions: ['geolocation'] } : {},
  )
  const page = await context.newPage()
  // The narrowed Content-Security-Policy (F20) must not block anything this journey loads.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) blocked.push(m.text())
  })
  await page.goto('/')
  return page
}

/**
 * Story S3: a resident photographs a motorbike left in a deserted lane and sends a tip with the
 * location; the area officer opens a case, asks two residential groups to check their cameras; a
 * resident of one group sends a clip; the case is resolved "returned to owner"; the resident who
 * helped sees the thank-you.
 */
test('a tip with a photo becomes a case, residents help with a clip, the case closes with thanks', async ({
  browser,
}) => {
  test.setTimeout(180_000)
  const officer = await newPage(browser)
  const tipster = await newPage(browser, true)
  const helper = await newPage(browser)
  const neighbour = await newPage(browser)
  await signInStaffOnce(officer, 'canbo1')
  await signInResident(tipster, '0987000001')
  await signInResident(helper, '0987000002')
  await signInResident(neighbour, '0987000003')

  const units = await apiCall<{ id: string; name: string }[]>(officer, 'GET', '/api/groups/units')
  const groups: { id: string; name: string }[] = []
  const run = Date.now().toString(36).slice(-4)
  for (const [i, name] of ['Tổ dân phố số 1', 'Tổ dân phố số 2'].entries()) {
    const area = units.find((u) => u.name === name)!
    const g = await apiCall<{ id: string }>(officer, 'POST', '/api/groups', {
      kind: 'residential_area',
      unitId: area.id,
      name: `Cư dân ${name} (S3 ${run})`,
      joinPolicy: 'open',
    })
    const invite = await apiCall<{ code: string }>(officer, 'GET', `/api/groups/${g.id}/invite`)
    await apiCall(i === 0 ? helper : neighbour, 'POST', '/api/groups/join', { code: invite.code })
    groups.push({ id: g.id, name: `Cư dân ${name} (S3 ${run})` })
  }

  await test.step("the resident sends a tip with a photo and the phone's location", async () => {
    await tipster.goto('/tips/new')
    await tipster.getByRole('radio', { name: 'Phương tiện khả nghi' }).check()
    await tipster
      .getByLabel('Anh/chị đã thấy gì?')
      .fill('Xe Wave biển 36 bỏ ở bãi đất trống cuối ngõ 12 từ tối qua, không ai trông.')
    await tipster.getByLabel('Ảnh hoặc video (không bắt buộc)').setInputFiles(await motorbikePhoto())
    await tipster.getByRole('button', { name: 'Dùng vị trí hiện tại của tôi' }).click()
    await expect(tipster.getByText(/Đã lấy vị trí: 21\.01210, 105\.84920/)).toBeVisible()
    await tipster.getByRole('button', { name: 'Gửi tin báo', exact: true }).click()
    await expect(tipster.getByRole('heading', { name: 'Đã gửi tin báo' })).toBeVisible()
  })

  let caseUrl = ''
  await test.step('the officer finds it in the queue and opens a case from it', async () => {
    await officer.goto('/staff/tips')
    // Other journeys leave tips of the same kind in this queue, and it is sorted by urgency before
    // age: the officer picks this tip by what it says, then reads it on its own page.
    await officer
      .getByRole('listitem')
      .filter({ hasText: 'Xe Wave biển 36 bỏ ở bãi đất trống' })
      .getByRole('link', { name: /Phương tiện khả nghi/ })
      .click()
    await expect(officer).toHaveURL(/\/staff\/tips\/[0-9a-f-]{36}$/)
    await expect(officer.getByText('Xe Wave biển 36 bỏ ở bãi đất trống')).toBeVisible()
    const photo = officer.getByRole('img', { name: 'Ảnh đính kèm' })
    await expect(photo).toBeVisible()
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
    await officer.getByRole('button', { name: 'Lập vụ việc từ tin báo' }).click()
    await expect(officer).toHaveURL(/\/staff\/cases\/[0-9a-f-]{36}$/)
    caseUrl = officer.url()
    await expect(officer.getByRole('heading', { level: 1, name: /^VV-\d+/ })).toBeVisible()
  })

  await test.step('the officer asks both groups to check their cameras', async () => {
    const form = officer.getByRole('form', { name: 'Đăng lời nhờ giúp đỡ vào nhóm' })
    await form.getByLabel('Nội dung').fill('Một xe Wave màu đỏ bị bỏ lại ở bãi đất trống cuối ngõ 12.')
    await form.getByLabel('Cần tìm').fill('Người dắt xe Wave đỏ vào ngõ 12')
    await form.getByLabel('Địa điểm').fill('Camera hướng ra ngõ 12')
    await form.getByLabel('Từ lúc').fill('2026-11-27T21:00')
    await form.getByLabel('Đến lúc').fill('2026-11-27T23:00')
    for (const g of groups) await form.getByRole('checkbox', { name: g.name }).check()
    await form.getByRole('button', { name: 'Đăng lời nhờ' }).click()
    await expect(form.getByText('Đã đăng lời nhờ vào các nhóm.')).toBeVisible()
  })

  let helpUrl = ''
  await test.step('a resident of the first group sees the request and sends a camera clip', async () => {
    await helper.goto('/help')
    await helper
      .getByRole('link', { name: /Một xe Wave màu đỏ/ })
      .first()
      .click()
    // Pages load on first visit: the address changes once the request's page has arrived.
    await helper.waitForURL(/\/help\/[0-9a-f-]{36}$/)
    helpUrl = helper.url()
    await expect(helper.getByText('Người dắt xe Wave đỏ vào ngõ 12')).toBeVisible()
    await helper
      .getByLabel('Anh/chị có thông tin hoặc clip camera? Gửi tại đây')
      .fill('Camera nhà tôi quay được một người dắt xe lúc 21:40.')
    await helper.getByLabel('Ảnh hoặc video (không bắt buộc)').setInputFiles(cameraClip())
    await helper.getByRole('button', { name: 'Gửi', exact: true }).click()
    await expect(helper.getByText('Thông tin anh/chị đã gửi')).toBeVisible()
    await expect(helper.getByText('Camera nhà tôi quay được một người dắt xe lúc 21:40.')).toBeVisible()
  })

  await test.step('the officer sees the clip on the case with who sent it, and resolves it', async () => {
    await officer.goto(caseUrl)
    await expect(officer.getByText('Trần Văn Bình', { exact: true })).toBeVisible()
    await expect(officer.getByRole('cell', { name: 'Video' })).toBeVisible()
    await officer.getByLabel('Trạng thái').selectOption('resolved')
    await officer.getByLabel('Kết quả').selectOption('solved_property_returned')
    await officer.getByLabel('Lời cảm ơn gửi những người đã được nhờ giúp').fill(THANKS)
    await officer.getByRole('button', { name: 'Lưu' }).click()
    await expect(
      officer.getByRole('paragraph').filter({ hasText: '· Đã giải quyết — trả lại tài sản' }),
    ).toBeVisible()
  })

  await test.step('the resident who helped sees the closing thank-you', async () => {
    await helper.goto(helpUrl)
    await expect(helper.getByRole('status').filter({ hasText: THANKS })).toBeVisible()
    await expect(helper.getByText('Lời nhờ giúp đỡ đã kết thúc. Cảm ơn anh/chị.')).toBeVisible()
  })

  await test.step('the other group got the request but never sees who answered', async () => {
    await neighbour.goto(helpUrl)
    await expect(neighbour.getByRole('status').filter({ hasText: THANKS })).toBeVisible()
    await expect(neighbour.getByText('Trần Văn Bình')).toHaveCount(0)
  })

  expect(blocked).toEqual([])
})
