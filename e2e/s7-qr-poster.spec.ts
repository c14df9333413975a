import { expect, test } from '@playwright/test'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

const QUESTION = 'làm giấy khai sinh ở nơi tạm trú được không'
const NEW_PHONE = '0987 654 321'

interface PosterRow {
  area: { id: string; name: string; slug: string }
  poster: { code: string; scanUrl: string } | null
}

/** PDF pages as pdfkit writes them: one `/Type /Page` dictionary each (not `/Pages`). */
const pdfPageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length

/**
 * Story S7: the ward prints a QR poster for each residential group; a resident who never used
 * NhipCau scans one, asks a question with only a phone number and a one-time code; the area officer
 * sees "Đăng ký khai sinh" suggested first and answers with it; the resident gets the link.
 */
test('a QR poster leads a new resident to their area officer, who answers with the suggested procedure', async ({
  browser,
}) => {
  test.setTimeout(180_000)
  const commander = await (await browser.newContext()).newPage()
  await commander.goto('/')
  await signInStaffOnce(commander, 'chihuy')

  let poster: PosterRow
  await test.step('the commander prints every residential group’s poster: one PDF page per group', async () => {
    await commander.goto('/staff/units')
    await commander.getByRole('link', { name: 'In tờ QR' }).click()
    await expect(commander.getByRole('heading', { name: 'Tờ QR cho tổ dân phố' })).toBeVisible()
    const href = await commander.getByRole('link', { name: /In tất cả tờ QR/ }).getAttribute('href')
    const pdf = await commander.request.get(href!)
    expect(pdf.headers()['content-type']).toBe('application/pdf')
    const unitId = href!.split('/')[3]!
    const rows = await apiCall<PosterRow[]>(commander, 'GET', `/api/units/${unitId}/posters`)
    expect(rows.length).toBeGreaterThan(1)
    expect(pdfPageCount(await pdf.body())).toBe(rows.length)
    await commander.reload()
    await expect(commander.getByText(/Mã [2-9A-Z]{8}/).first()).toBeVisible()
    // Tổ dân phố số 5 is covered by Trung úy Phạm Minh Tuấn (canbo3) in the demo ward.
    poster = rows.find((r) => r.area.name === 'Tổ dân phố số 5')!
    expect(poster.poster).not.toBeNull()
  })

  const phone = await (
    await browser.newContext({ viewport: { width: 412, height: 915 }, hasTouch: true })
  ).newPage()
  await test.step('a new resident scans the poster and lands on the area page with its officer', async () => {
    await phone.goto(new URL(poster.poster!.scanUrl).pathname)
    await expect(phone).toHaveURL(new RegExp(`/a/${poster.area.slug}`))
    await expect(phone.getByRole('heading', { level: 1 })).toContainText('Tổ dân phố số 5')
    await expect(phone.getByText('Phạm Minh Tuấn').first()).toBeVisible()
    await expectNoA11yViolations(phone)
  })

  await test.step('asks a question, signing in with a phone number and a one-time code only', async () => {
    await phone.getByRole('link', { name: 'Hỏi công an khu vực' }).click()
    await phone.getByRole('link', { name: /Đăng nhập/ }).click()
    await phone.getByLabel('Số điện thoại di động').fill(NEW_PHONE)
    await phone.getByRole('button', { name: 'Nhận mã qua tin nhắn' }).click()
    await expect(phone.getByText(/Mã đăng nhập đã được gửi/)).toBeVisible()
    const otp = await phone.request.get(`/api/dev/last-otp?phone=${encodeURIComponent('+84987654321')}`)
    const { code } = (await otp.json()) as { code: string }
    await phone.getByLabel('Mã đăng nhập').fill(code)
    await phone.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
    // A new number is asked its name once, then goes on to the question for the poster's area.
    await phone.getByLabel('Anh/chị tên là gì?').fill('Bà Đỗ Thị Mai')
    await phone.getByRole('button', { name: 'Lưu và tiếp tục' }).click()
    await expect(phone).toHaveURL(/\/ask/)
    await expect(phone.getByText('Phạm Minh Tuấn').first()).toBeVisible({ timeout: 15_000 })
    await phone.getByLabel('Nội dung tin nhắn').fill(QUESTION)
    await phone.getByRole('button', { name: 'Gửi', exact: true }).click()
    // .last(): a server reused between local runs keeps earlier runs' messages.
    await expect(phone.getByTestId('message').filter({ hasText: QUESTION }).last()).toContainText('Đã gửi')
  })

  const officer = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
  await test.step('the area officer sees the question with "Đăng ký khai sinh" suggested first and answers with it', async () => {
    await officer.goto('/')
    await signInStaffOnce(officer, 'canbo3')
    await officer.goto('/staff/inbox')
    // The officer sees the name she gave, not "Cư dân".
    await officer
      .getByTestId('inbox-item')
      .filter({ hasText: 'làm giấy khai sinh' })
      .filter({ hasText: 'Bà Đỗ Thị Mai' })
      .click()
    const suggestions = officer.getByRole('button', { name: /^Gửi thẻ thủ tục:/ })
    await expect(suggestions.first()).toHaveText(/^Gửi thẻ thủ tục: Đăng ký khai sinh/, { timeout: 15_000 })
    await suggestions.first().click()
    await expect(officer.getByTestId('message').filter({ hasText: 'Đăng ký khai sinh' }).last()).toBeVisible()
  })

  await test.step('the resident sees the answer and follows its link to the procedure', async () => {
    const card = phone.getByTestId('message').filter({ hasText: 'Đăng ký khai sinh' }).last()
    await expect(card).toBeVisible({ timeout: 15_000 })
    await card.getByRole('link').first().click()
    await expect(phone).toHaveURL(/\/procedures\/dang-ky-khai-sinh/)
    await expect(phone.getByRole('heading', { level: 1 })).toContainText('Đăng ký khai sinh')
  })
})
