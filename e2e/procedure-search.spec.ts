import { expect, test } from '@playwright/test'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

/**
 * A resident looks up a procedure from their phone, typing without diacritics the way most people
 * type on a phone keyboard, and opens the procedure page: where to go, what to bring, how long,
 * how much, whether it can be done online.
 */
test('searching "dang ky tam tru" without diacritics finds "Đăng ký tạm trú" and opens it', async ({
  page,
}) => {
  await page.goto('/procedures')
  await expect(page.getByRole('heading', { level: 1, name: 'Tra cứu thủ tục' })).toBeVisible()

  await test.step('results appear while typing, without pressing a button', async () => {
    await page.getByLabel('Anh/chị cần làm thủ tục gì?').pressSequentially('dang ky tam tru', { delay: 40 })
    const results = page.getByRole('region', { name: 'Kết quả tìm kiếm' })
    await expect(results.getByRole('link').first()).toContainText('Đăng ký tạm trú')
    await expect(page).toHaveURL(/[?&]q=dang(\+|%20)ky(\+|%20)tam(\+|%20)tru/)
    await expectNoA11yViolations(page)
  })

  await test.step('the procedure page shows documents, where, time limit, fee and online channels', async () => {
    await page.getByRole('region', { name: 'Kết quả tìm kiếm' }).getByRole('link').first().click()
    await expect(page).toHaveURL(/\/procedures\/dang-ky-tam-tru$/)
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Đăng ký tạm trú')
    for (const name of [
      'Nộp ở đâu',
      'Giấy tờ cần chuẩn bị',
      'Thời hạn giải quyết',
      'Lệ phí',
      'Nộp trực tuyến',
    ]) {
      await expect(page.getByRole('heading', { level: 2, name })).toBeVisible()
    }
    await expect(page.getByText('Công an cấp xã nơi dự kiến tạm trú', { exact: false })).toBeVisible()
    // The online channel, and the official site it points to (the cleaned catalogue links it).
    await expect(
      page.getByRole('listitem').filter({ hasText: /^Ứng dụng VNeID$/, hasNot: page.getByRole('link') }),
    ).toBeVisible()
    await expect(page.getByRole('link', { name: 'Ứng dụng VNeID' })).toHaveAttribute(
      'href',
      'https://vneid.gov.vn',
    )
    // Residents are not shown the staff-only review warning.
    await expect(page.getByText('đang chờ cán bộ pháp chế')).toHaveCount(0)
    await expectNoA11yViolations(page)
  })

  await test.step('back to the search, the question is still there', async () => {
    await page.goBack()
    await expect(page.getByLabel('Anh/chị cần làm thủ tục gì?')).toHaveValue('dang ky tam tru')
  })
})

/**
 * A ward commander sees which procedures await legal review, corrects one, and the change is kept
 * as a new version with their name; residents see the corrected page.
 */
test('a commander edits a procedure and the history shows the new version', { tag: '@desk' }, async ({
  page,
  browser,
}) => {
  await page.goto('/')
  await signInStaffOnce(page, 'chihuy')
  await page.goto('/staff/procedures')
  await expect(page.getByRole('heading', { level: 1, name: 'Danh mục thủ tục' })).toBeVisible()
  const row = page.getByRole('link', { name: /Đăng ký khai tử/ })
  await expect(row).toContainText('Chờ kiểm tra pháp lý')
  await row.click()

  // Each run (phone, desk) makes its own change on the same server.
  const fee = `Miễn lệ phí khi đăng ký đúng hạn (đối chiếu lần ${Date.now() % 100000})`
  const history = page.getByRole('region', { name: 'Lịch sử thay đổi' })
  await expect(history.getByRole('listitem').first()).toBeVisible()
  const versionsBefore = await history.getByRole('listitem').count()
  const form = page.getByRole('form', { name: 'Sửa nội dung' })
  await form.getByLabel('Lệ phí').fill(fee)
  await form.getByLabel('Lý do thay đổi').fill('Đối chiếu Luật Hộ tịch')
  await form.getByRole('button', { name: /Lưu/ }).click()
  await expect(page.getByRole('status')).toContainText(`phiên bản ${versionsBefore + 1}`)
  await expect(history.getByRole('listitem')).toHaveCount(versionsBefore + 1)
  const newest = history.getByRole('listitem').first()
  await expect(newest).toContainText('Nguyễn Văn Hùng')
  await expect(newest).toContainText('Đối chiếu Luật Hộ tịch')
  await expect(newest).toContainText('fee')

  const resident = await (await browser.newContext()).newPage()
  await resident.goto('/procedures/dang-ky-khai-tu')
  await expect(resident.getByText(fee)).toBeVisible()
})
