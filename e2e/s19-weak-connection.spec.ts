import { expect, test } from '@playwright/test'

/**
 * Issue 19 point 4: the QR landing page and the procedure pages are HTML with their content, so a
 * phone on a weak connection shows the officer's name and phone before any script runs (here: with
 * JavaScript turned off). With JavaScript, the app takes over the same page without a blank.
 */
const sizes = [
  { name: 'phone', viewport: { width: 360, height: 800 } },
  { name: 'desk', viewport: { width: 1366, height: 800 } },
] as const

const AREA = 'hai-ba-trung-tdp-1'

for (const size of sizes) {
  test.describe(`before JavaScript at ${size.viewport.width}×${size.viewport.height}`, () => {
    test.use({ viewport: size.viewport })

    test.describe('with JavaScript off', () => {
      test.use({ javaScriptEnabled: false })

      test('the QR landing page shows the area officer, a phone to call and the way to ask', async ({
        page,
      }) => {
        const api = await page.request.get(`/api/directory/areas/${AREA}`)
        const officer = (await api.json()).area.currentOfficer as { name: string; officialPhone: string }
        await page.goto(`/a/${AREA}`)
        await expect(page.getByRole('heading', { level: 1 })).toContainText('Tổ dân phố số 1')
        // The app's header is in the HTML too: the reader knows where they are before any script.
        await expect(page.getByRole('banner').getByRole('link', { name: /Nhịp Cầu/ })).toHaveAttribute(
          'href',
          '/',
        )
        await expect(page.getByRole('button', { name: 'Chữ lớn' })).toBeVisible()
        const card = page.getByRole('region', { name: 'Cảnh sát khu vực phụ trách' })
        await expect(card).toContainText(officer.name)
        await expect(card.getByRole('link', { name: /\d/ })).toHaveAttribute(
          'href',
          `tel:${officer.officialPhone}`,
        )
        await expect(page.getByRole('link', { name: 'Hỏi cảnh sát khu vực' })).toBeVisible()
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          size.viewport.width,
        )
        await page.screenshot({ path: `test-results/s19-nojs-area-${size.name}.png`, fullPage: true })
      })

      test('a procedure page reads in full and its related procedures are links', async ({ page }) => {
        await page.goto('/procedures/xoa-dang-ky-thuong-tru')
        await expect(page.getByRole('heading', { level: 1 })).toContainText('Xóa đăng ký thường trú')
        for (const name of [
          'Nộp ở đâu',
          'Giấy tờ cần chuẩn bị',
          'Thời hạn giải quyết',
          'Lệ phí',
          'Nộp trực tuyến',
        ]) {
          await expect(page.getByRole('heading', { level: 2, name })).toBeVisible()
        }
        await page.getByRole('link', { name: 'Khai báo tạm vắng' }).click()
        await expect(page.getByRole('heading', { level: 1 })).toContainText('Khai báo tạm vắng')
        await page.screenshot({ path: `test-results/s19-nojs-procedure-${size.name}.png`, fullPage: true })
      })
    })

    test('with JavaScript the app takes over the same page', async ({ page }) => {
      await page.goto(`/a/${AREA}`)
      // The app draws the page in place of the server's (no .ssr-page left), with the same header
      // (one banner, its language switch) and the same content.
      await expect(page.locator('[data-prerendered] .ssr-page')).toHaveCount(0, { timeout: 15_000 })
      await expect(page.getByRole('banner')).toHaveCount(1)
      await expect(page.getByRole('button', { name: 'English' })).toBeVisible()
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Tổ dân phố số 1')
      await page.screenshot({ path: `test-results/s19-js-area-${size.name}.png`, fullPage: true })
    })
  })
}

test('on slow 3G the QR landing page downloads no more than a small boot script until it is touched', async ({
  page,
  context,
}) => {
  // Chromium's emulation of a 400 kbps, 400 ms link (navigator.connection then says "3g").
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: 50_000,
    uploadThroughput: 50_000,
  })
  const scripts: string[] = []
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname)
  })
  await page.goto(`/a/${AREA}`, { waitUntil: 'load' })
  await expect(page.getByRole('region', { name: 'Cảnh sát khu vực phụ trách' })).toBeVisible()
  // The header came with the page, not with the app: it was there before the first touch.
  await expect(page.getByRole('banner').getByRole('link', { name: /Nhịp Cầu/ })).toBeVisible()
  await page.waitForLoadState('networkidle')
  // The page reads and its links work; the app (React, the router…) has not been fetched.
  expect(scripts).toHaveLength(1)
  await expect(page.locator('[data-prerendered] .ssr-page')).toHaveCount(1)
  await page.screenshot({ path: test.info().outputPath('slow3g-area-before-touch.png') })
  // The first touch is on "Chữ lớn": it works at once, before the app, and starts the app, which
  // takes over the same page keeping the choice.
  const largeText = page.getByRole('button', { name: 'Chữ lớn' })
  await largeText.click()
  await expect(largeText).toHaveAttribute('aria-pressed', 'true')
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large')
  await expect(page.locator('[data-prerendered] .ssr-page')).toHaveCount(0, { timeout: 30_000 })
  await expect(page.getByRole('button', { name: 'Chữ lớn' })).toHaveAttribute('aria-pressed', 'true')
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large')
  expect(scripts.length).toBeGreaterThan(1)
})
