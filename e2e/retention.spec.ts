import { expect, test } from '@playwright/test'
import { signInStaff } from './support/api-sign-in'
import { expectNoA11yViolations, followStaffNav } from './support/browser'

/**
 * The administrator opens the retention page from the console's navigation: each unit's tip files
 * against its quota, and each retention rule with its period and runs.
 * SCREENSHOT_DIR=… keeps a full-page picture of it for review.
 */
test(
  'the administrator reads how long data is kept and how full each unit is',
  { tag: '@desk' },
  async ({ page }, info) => {
    await page.goto('/')
    await signInStaff(page, 'admin')
    await page.goto('/staff')
    await followStaffNav(page, 'Lưu giữ dữ liệu và dung lượng')
    await expect(page.getByRole('heading', { name: 'Lưu giữ dữ liệu và dung lượng', level: 1 })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Dung lượng tệp theo đơn vị' })).toBeVisible()
    await expect(page.getByText(/^Lần chạy tiếp theo: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/)).toBeVisible()
    const otp = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Mã đăng nhập dùng một lần' }) })
    await expect(otp.getByText('1 ngày')).toBeVisible()
    await expectNoA11yViolations(page)
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({
        path: `${process.env.SCREENSHOT_DIR}/retention-${info.project.name}.png`,
        fullPage: true,
      })
  },
)
