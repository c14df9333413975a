import { expect, type Page, test } from '@playwright/test'
import { signInStaff } from './support/api-sign-in'
import { expectNoA11yViolations, followStaffNav } from './support/browser'

/**
 * Issue 19 point 8: an administrator imports the unit tree from the staff console. The check (a
 * dry run) names every refused row and why and writes nothing; a clean file's report lists the
 * units added and changed, and only then is the import offered. The tree exports as CSV.
 */
const sizes = [
  { name: 'phone', viewport: { width: 360, height: 800 } },
  { name: 'desk', viewport: { width: 1366, height: 800 } },
] as const

const HEADER = 'slug,parent,level,kind,name,household_count'

async function chooseFile(page: Page, name: string, text: string) {
  await page.getByLabel('Tệp đơn vị (.csv hoặc .json)').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(text, 'utf8'),
  })
}

for (const size of sizes) {
  test.describe(`unit tree at ${size.viewport.width}×${size.viewport.height}`, () => {
    test.use({ viewport: size.viewport })

    test('an administrator checks a file, reads the refused rows, then imports a clean file and exports it', async ({
      page,
    }) => {
      const run = `${size.name}-${Date.now() % 1_000_000}`
      const slug = `to-dan-pho-thu-${run}`
      await page.goto('/')
      await signInStaff(page, 'admin')
      await page.goto('/staff')
      await followStaffNav(page, 'Nhập, xuất đơn vị')
      await expect(page.getByRole('heading', { level: 1, name: 'Nhập, xuất cây đơn vị' })).toBeVisible()

      await test.step('a file with a bad row: each refused row and why, nothing offered to import', async () => {
        await chooseFile(
          page,
          'to-dan-pho.csv',
          [
            HEADER,
            `${slug},phuong-hai-ba-trung,residential_group,residential_group,Tổ dân phố thử ${run},90`,
            `${slug}-b,khong-co-phuong-nay,residential_group,residential_group,Tổ dân phố lỗi,10`,
          ].join('\n'),
        )
        await page.getByRole('button', { name: 'Kiểm tra tệp' }).click()
        const report = page.getByRole('region', { name: 'Kết quả kiểm tra' })
        await expect(report.getByRole('status')).toContainText('Có 1 dòng bị từ chối')
        const refused = report.getByRole('table', { name: 'Các dòng bị từ chối' })
        await expect(refused.getByRole('row').nth(1)).toContainText('Dòng 3')
        await expect(refused.getByRole('row').nth(1)).toContainText(
          'không tìm thấy đơn vị cấp trên "khong-co-phuong-nay"',
        )
        await expect(page.getByRole('button', { name: /^Nhập:/ })).toHaveCount(0)
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          size.viewport.width,
        )
        await expectNoA11yViolations(page)
        await page.screenshot({ path: `test-results/s19-unit-tree-refused-${size.name}.png`, fullPage: true })
        const missing = await page.request.get(`/api/directory/areas/${slug}`)
        expect(missing.status()).toBe(404)
      })

      await test.step('a clean file: the dry-run report first, then the import', async () => {
        await chooseFile(
          page,
          'to-dan-pho.csv',
          [
            HEADER,
            `${slug},phuong-hai-ba-trung,residential_group,residential_group,Tổ dân phố thử ${run},90`,
          ].join('\n'),
        )
        await page.getByRole('button', { name: 'Kiểm tra tệp' }).click()
        const report = page.getByRole('region', { name: 'Kết quả kiểm tra' })
        await expect(report.getByRole('status')).toContainText(
          'Chạy thử, chưa ghi gì: 1 đơn vị mới, 0 cập nhật',
        )
        await expect(report).toContainText(`Tổ dân phố thử ${run}`)
        expect((await page.request.get(`/api/directory/areas/${slug}`)).status()).toBe(404)
        await page.screenshot({ path: `test-results/s19-unit-tree-plan-${size.name}.png`, fullPage: true })

        await page.getByRole('button', { name: 'Nhập: 1 đơn vị mới, 0 cập nhật' }).click()
        await expect(report.getByRole('status')).toContainText('Đã nhập: 1 đơn vị mới')
        const area = await page.request.get(`/api/directory/areas/${slug}`)
        expect(area.status()).toBe(200)
      })

      await test.step('a changed count shows as a change before it is written', async () => {
        await chooseFile(
          page,
          'to-dan-pho.csv',
          [
            HEADER,
            `${slug},phuong-hai-ba-trung,residential_group,residential_group,Tổ dân phố thử ${run},95`,
          ].join('\n'),
        )
        await page.getByRole('button', { name: 'Kiểm tra tệp' }).click()
        const report = page.getByRole('region', { name: 'Kết quả kiểm tra' })
        await expect(report.getByRole('status')).toContainText('0 đơn vị mới, 1 cập nhật')
        await expect(report).toContainText('Thay đổi: số hộ')
      })

      await test.step('the tree downloads as CSV with the new group in it', async () => {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Tải tệp CSV' }).click(),
        ])
        expect(download.suggestedFilename()).toBe('units.csv')
        const path = await download.path()
        const { readFileSync } = await import('node:fs')
        expect(readFileSync(path, 'utf8')).toContain(`${slug},00256,residential_group`)
      })
    })
  })
}
