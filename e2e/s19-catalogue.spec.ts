import { expect, test } from '@playwright/test'
import { signInStaff } from './support/api-sign-in'
import { expectNoA11yViolations } from './support/browser'

/**
 * Issue 19 point 7: the cleaned procedure catalogue. A resident reads a procedure in Vietnamese
 * only (no English glosses, no editorial notes), follows a related procedure and sees the official
 * sites as links; an English reader gets the English text; staff see what the legal reviewer must
 * still check. At a phone's 360×800 and a desk's 1366×800.
 */
const sizes = [
  { name: 'phone', viewport: { width: 360, height: 800 } },
  { name: 'desk', viewport: { width: 1366, height: 800 } },
] as const

for (const size of sizes) {
  test.describe(`catalogue at ${size.viewport.width}×${size.viewport.height}`, () => {
    test.use({ viewport: size.viewport })

    test('a resident reads a clean Vietnamese page, follows a related procedure and an official link', async ({
      page,
    }) => {
      await page.goto('/procedures/xoa-dang-ky-thuong-tru')
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Xóa đăng ký thường trú')
      const article = page.getByRole('article')
      await expect(article).toContainText('Công an cấp xã nơi đã đăng ký thường trú')
      await expect(article).not.toContainText('Commune-level police')
      await expect(article).not.toContainText('Cần kiểm tra trước khi dùng')

      const official = page.getByRole('list', { name: 'Trang nộp hồ sơ chính thức' })
      await expect(official.getByRole('link', { name: /Cổng Dịch vụ công quốc gia/ })).toHaveAttribute(
        'href',
        'https://dichvucong.gov.vn',
      )
      await expect(official.getByRole('link', { name: /VNeID/ })).toHaveAttribute(
        'href',
        'https://vneid.gov.vn',
      )

      const related = page.getByRole('region', { name: 'Thủ tục liên quan' })
      await expect(related.getByRole('link')).toHaveCount(3)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        size.viewport.width,
      )
      await expectNoA11yViolations(page)
      await page.screenshot({ path: `test-results/s19-catalogue-vi-${size.name}.png`, fullPage: true })

      await related.getByRole('link', { name: 'Khai báo tạm vắng' }).click()
      await expect(page).toHaveURL(/\/procedures\/khai-bao-tam-vang$/)
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Khai báo tạm vắng')
    })

    test('an English reader gets the English text of the same procedure', async ({ page }) => {
      await page.addInitScript(() => localStorage.setItem('nhipcau.lang', 'en'))
      await page.goto('/procedures/xoa-dang-ky-thuong-tru')
      await expect(page.getByRole('heading', { level: 1 })).toContainText(
        'Deletion of permanent residence registration',
      )
      const article = page.getByRole('article')
      await expect(article).toContainText('Commune-level police where the permanent residence is registered')
      await expect(article).toContainText('Free of charge')
      await expect(article).toContainText('Residence information change declaration (form CT01)')
      await expect(page.getByRole('region', { name: 'Related procedures' })).toContainText(
        'Declaration of temporary absence',
      )
      await expect(
        page.getByRole('list', { name: 'Official sites to apply' }).getByRole('link', {
          name: /National Public Service Portal/,
        }),
      ).toBeVisible()
      await page.screenshot({ path: `test-results/s19-catalogue-en-${size.name}.png`, fullPage: true })
    })

    test('an officer sees the review items a resident never sees', async ({ page }) => {
      await page.goto('/procedures/dang-ky-thuong-tru')
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Đăng ký thường trú')
      await expect(page.getByRole('article')).not.toContainText('8 m²')

      await signInStaff(page, 'canbo1')
      await page.goto('/staff/procedures/dang-ky-thuong-tru')
      const review = page.getByRole('region', { name: 'Cần kiểm tra trước khi dùng' })
      await expect(review).toContainText('8 m²')
      await expectNoA11yViolations(page)
      await page.screenshot({ path: `test-results/s19-catalogue-staff-${size.name}.png`, fullPage: true })
    })
  })
}
