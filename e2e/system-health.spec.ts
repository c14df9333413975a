import { expect, test } from '@playwright/test'
import { signInStaff } from './support/api-sign-in'
import { expectNoA11yViolations, followStaffNav } from './support/browser'

/**
 * The administrator opens the system health page from the console's navigation and reads the
 * state of the database, Redis, the job queue, the disk, the last backup and the version.
 * SCREENSHOT_DIR=… keeps a full-page picture of it for review.
 */
test(
  'the administrator reads the system’s health from the console',
  { tag: '@desk' },
  async ({ page }, info) => {
    await page.goto('/')
    await signInStaff(page, 'admin')
    await page.goto('/staff')
    await followStaffNav(page, 'Tình trạng hệ thống')
    await expect(page.getByRole('heading', { name: 'Tình trạng hệ thống', level: 1 })).toBeVisible()
    const database = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: /Cơ sở dữ liệu/ }) })
    await expect(database.getByText('Kết nối được')).toBeVisible()
    await expect(database.getByText('Dung lượng trên đĩa')).toBeVisible()
    await expect(page.getByRole('heading', { name: /Bản sao lưu gần nhất/ })).toBeVisible()
    await expect(page.getByRole('heading', { name: /Phiên bản/ })).toBeVisible()
    await expectNoA11yViolations(page)
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({
        path: `${process.env.SCREENSHOT_DIR}/health-${info.project.name}.png`,
        fullPage: true,
      })
  },
)
