import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { pdfPagesText } from '../server/test/pdf-text'
import { signInResident, signInStaff } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations, followStaffNav } from './support/browser'
import { apiCall } from './support/messaging'

test.afterEach(closeOpenContexts)

const WARD = 'Phường Hai Bà Trưng'
/** This month in Vietnam's calendar, as the page picks it by default. */
function thisMonth() {
  const now = new Date(Date.now() + 7 * 3_600_000)
  const [y, m] = [now.getUTCFullYear(), now.getUTCMonth() + 1]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  const mm = String(m).padStart(2, '0')
  return { y, mm, first: `01/${mm}/${y}`, last: `${last}/${mm}/${y}` }
}

/**
 * Story S8: the commander opens the month in review of the demo ward, changes the period, opens
 * the list behind a figure, and downloads the month's PDF report and a CSV table. The seed is the
 * demo ward plus one resident's question asked here, so the month has at least one interaction.
 */
test('the commander reviews the month, opens a figure’s list and downloads the report', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const resident = await (await browser.newContext()).newPage()
  await resident.goto('/')
  await signInResident(resident, '0987000004')
  await apiCall(resident, 'POST', '/api/ask')
  // …and tells the police of a relative coming to stay: a movement of this month.
  const today = new Date(Date.now() + 7 * 3_600_000)
  const day = (d: Date) => d.toISOString().slice(0, 10)
  await apiCall(resident, 'POST', '/api/movements/reports', {
    kind: 'stay',
    clientKey: `s8-${Date.now()}`,
    person: {
      fullName: 'Trần Thị Về Quê',
      idKind: 'citizen_id',
      idNumber: `0010${String(Date.now()).slice(-8)}`,
    },
    address: 'Số 12, ngõ 5 phố Minh Khai',
    relation: 'sibling',
    fromDate: day(today),
    toDate: day(new Date(today.getTime() + 3 * 86_400_000)),
  })

  const context = await browser.newContext({ acceptDownloads: true })
  const page = await context.newPage()
  await page.goto('/')
  await signInStaff(page, 'chihuy')
  const month = thisMonth()

  await test.step('the dashboard opens on this month, compared with the previous one', async () => {
    await page.goto('/staff')
    await followStaffNav(page, 'Tổng hợp tháng')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tổng hợp — ${WARD}`)
    await expect(page.getByText(`Từ ${month.first} đến ${month.last}, so với kỳ trước`)).toBeVisible()
    const interactions = page.locator('[data-figure="interactions"] .dash-card__value')
    await expect(interactions).toHaveText(/^[1-9]/)
    await expect(page.getByRole('heading', { level: 2, name: 'Tương tác theo loại việc' })).toBeVisible()
    await page.getByRole('button', { name: 'Xem dạng bảng' }).first().click()
    await expect(page.getByRole('table', { name: 'Tương tác theo loại việc' })).toContainText(
      'Thủ tục hành chính',
    )
    await expectNoA11yViolations(page)
  })

  await test.step('a whole year, then back to the month', async () => {
    await page.getByLabel('Kỳ báo cáo').selectOption({ label: 'Cả năm' })
    await expect(page.getByText(`Từ 01/01/${month.y} đến 31/12/${month.y}`)).toBeVisible()
    await page.getByLabel('Kỳ báo cáo').selectOption({ label: 'Theo tháng' })
    await expect(page.getByText(`Từ ${month.first} đến ${month.last}`)).toBeVisible()
  })

  await test.step('the number of interactions opens the list behind it', async () => {
    await page.locator('[data-figure="interactions"] .dash-card__value a').click()
    await expect(page.getByRole('heading', { level: 1, name: 'Danh sách tương tác' })).toBeVisible()
    await expect(page.getByRole('listitem').filter({ hasText: 'Hội thoại với cư dân' }).first()).toBeVisible()
    await page.getByRole('link', { name: 'Về trang tổng hợp' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tổng hợp — ${WARD}`)
  })

  await test.step('households reached opens the residents it counts', async () => {
    await page.locator('[data-figure="reach"] .dash-card__value a').click()
    await expect(page.getByRole('heading', { level: 1, name: 'Cư dân đã được tiếp cận' })).toBeVisible()
    await expect(page.getByRole('listitem').filter({ hasText: 'Đã đăng nhập' }).first()).toBeVisible()
    await page.getByRole('link', { name: 'Về trang tổng hợp' }).click()
  })

  await test.step('the movements of the month, as a table and as the list behind them', async () => {
    await expect(page.locator('[data-figure="movements"] .dash-card__value')).toHaveText(/^[1-9]/)
    const section = page.getByRole('region', { name: 'Khai báo cư trú theo loại' })
    await section.getByRole('button', { name: 'Xem dạng bảng' }).click()
    const table = page.getByRole('table', { name: 'Khai báo cư trú theo loại' })
    await expect(table).toContainText('Người đến ở (lưu trú)')
    await table.getByRole('row').filter({ hasText: 'Người đến ở (lưu trú)' }).getByRole('link').click()
    await expect(page.getByRole('heading', { level: 1, name: 'Khai báo cư trú trong kỳ' })).toBeVisible()
    await expect(page.getByRole('listitem').filter({ hasText: 'Trần Thị Về Quê' })).toBeVisible()
    await page.getByRole('link', { name: 'Về trang tổng hợp' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tổng hợp — ${WARD}`)
  })

  await test.step('the month’s report as PDF names the ward and the month', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải báo cáo tháng (PDF)' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^bao-cao-phuong-hai-ba-trung-.*\.pdf$/)
    const text = (await pdfPagesText(readFileSync((await download.path())!))).join('\n')
    expect(text.toUpperCase()).toContain(WARD.toUpperCase())
    expect(text).toContain(`${month.first} – ${month.last}`)
  })

  await test.step('a table as CSV', async () => {
    await page.getByText('Tải bảng số liệu (CSV)').click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tương tác theo loại' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/interactions\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv).toContain('Thủ tục hành chính')
  })

  await test.step('at 360 px and at a desk', async () => {
    await page.setViewportSize({ width: 360, height: 800 })
    await page.screenshot({ path: 'test-results/s8-dashboard-360.png', fullPage: true })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
    expect(overflow).toBe(false)
    await page.setViewportSize({ width: 1366, height: 900 })
    await page.screenshot({ path: 'test-results/s8-dashboard-1366.png', fullPage: true })
  })
})
