import { expect, test } from '@playwright/test'
import { bodyFontSize, clearPreferences, expectNoA11yViolations } from './support/browser'

test.beforeEach(async ({ page }) => {
  await clearPreferences(page)
})

test('a resident sees the home page in Vietnamese, switches to English and to large text', async ({
  page,
}) => {
  await page.goto('/')

  await test.step('Vietnamese by default', async () => {
    await expect(
      page.getByRole('heading', { level: 1, name: 'Nhịp Cầu — kết nối cư dân với Công an xã, phường' }),
    ).toBeVisible()
    for (const name of ['Hỏi công an khu vực', 'Gửi tin báo', 'Tra cứu thủ tục']) {
      await expect(page.getByRole('link', { name, exact: true })).toBeVisible()
    }
    await expect(page.getByRole('link', { name: /có phải công an không/ })).toHaveAttribute(
      'href',
      '/check-caller',
    )
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
    await expect(page).toHaveTitle(/Nhịp Cầu/)
  })

  await test.step('no WCAG 2 A/AA violations', async () => {
    await expectNoA11yViolations(page)
  })

  await test.step('switch to English', async () => {
    await page.getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Nhịp Cầu — connecting residents with their commune and ward police',
    )
    await expect(page.getByRole('link', { name: 'Ask your area officer', exact: true })).toBeVisible()
    await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true')
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  })

  await test.step('English is remembered after a reload', async () => {
    await page.reload()
    await expect(page.getByRole('link', { name: 'Send a tip', exact: true })).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  })

  await test.step('large text scales the page by about 130 % and is remembered', async () => {
    const before = await bodyFontSize(page)
    const toggle = page.getByRole('button', { name: 'Large text' })
    await toggle.click()
    await expect(toggle).toHaveAttribute('aria-pressed', 'true')
    expect(await bodyFontSize(page)).toBeGreaterThanOrEqual(before * 1.25)
    await page.reload()
    expect(await bodyFontSize(page)).toBeGreaterThanOrEqual(before * 1.25)
    await expectNoA11yViolations(page)
  })
})

test('the home page in Vietnamese has no accessibility violations at any screen size', {
  tag: '@desk',
}, async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('link', { name: 'Tra cứu thủ tục', exact: true })).toBeVisible()
  await expectNoA11yViolations(page)
})

test('the big buttons lead where they say, unknown pages say not found', async ({ page }) => {
  await page.goto('/')
  await page.getByRole('link', { name: 'Gửi tin báo', exact: true }).click()
  await expect(page).toHaveURL(/\/tips\/new$/)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Gửi tin báo')

  await page.goto('/khong-co-trang-nay')
  await expect(page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeVisible()
  await page.getByRole('link', { name: 'Về trang chủ' }).click()
  await expect(page).toHaveURL(/\/$/)
})
