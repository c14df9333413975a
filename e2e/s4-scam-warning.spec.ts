import { expect, test } from '@playwright/test'
import { signInResident, signInStaff } from './support/api-sign-in'
import { closeOpenContexts } from './support/browser'

test.afterEach(closeOpenContexts)

/**
 * Story S4, the warning part: an officer warns the ward about callers impersonating police; the
 * warning reaches a resident (red banner on the home page), who follows it to the caller check.
 */
test('a scam warning reaches a resident, who follows its link to the caller check', async ({ browser }) => {
  // Several people, each signing in: longer than one page's default budget.
  test.setTimeout(120_000)
  const officer = await (await browser.newContext()).newPage()
  const resident = await (await browser.newContext()).newPage()
  await officer.goto('/')
  await resident.goto('/')
  await signInStaff(officer, 'canbo2')
  await signInResident(resident, '0987000004')
  await resident.goto('/')

  const headline = 'Cảnh báo: kẻ gian giả danh công an phường gọi điện yêu cầu chuyển tiền'
  await test.step('the officer publishes a scam warning to the whole ward', async () => {
    await officer.goto('/staff/alerts/new')
    await officer.getByLabel('Loại cảnh báo').selectOption({ label: 'Cảnh báo lừa đảo' })
    await officer.getByLabel('Tiêu đề').fill(headline)
    await officer
      .getByLabel('Nội dung', { exact: true })
      .fill('Công an không bao giờ yêu cầu chuyển tiền, cung cấp mã OTP hay cài ứng dụng qua điện thoại.')
    await officer.getByRole('radio', { name: 'Toàn phường' }).check()
    await expect(officer.getByTestId('recipient-count')).toContainText(/Sẽ gửi tới \d+ cư dân/)
    await officer.getByRole('button', { name: 'Phát cảnh báo' }).click()
    await expect(officer.getByRole('heading', { level: 1, name: headline })).toBeVisible()
    await expect(officer.getByText('Đang phát')).toBeVisible()
  })

  await test.step('the resident sees the red banner on the home page without reloading', async () => {
    const banner = resident.getByRole('region', { name: 'Cảnh báo đang có hiệu lực' })
    await expect(banner.getByRole('link', { name: headline })).toBeVisible({ timeout: 10_000 })
    await banner.getByRole('link', { name: headline }).click()
  })

  await test.step('the warning links to the caller check', async () => {
    await expect(resident.getByRole('heading', { level: 1, name: headline })).toBeVisible()
    await resident.getByRole('link', { name: 'Kiểm tra số điện thoại gọi đến có phải công an không' }).click()
    await expect(resident).toHaveURL(/\/check-caller$/)
    await expect(resident.getByRole('heading', { level: 1 })).toContainText(/Kiểm tra/)
  })
})
