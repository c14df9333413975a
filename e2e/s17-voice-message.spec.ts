import { expect, type Page, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

// Chromium's fake microphone (a beeping tone) and an automatic "allow" for the permission prompt.
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
    ],
  },
})

const SCREENSHOTS = process.env.VOICE_SCREENSHOTS

/** Holds the microphone button down until the recording has run `seconds`, then lets go. */
async function holdToRecord(page: Page, seconds: number) {
  const button = page.getByRole('button', { name: 'Ghi âm', exact: true })
  // The mouse does not scroll: the page itself must show the button, even at the end of a long
  // conversation, and not under the bottom bar (what the thumb would touch is the button).
  await expect
    .poll(() =>
      button.evaluate((el) => {
        const r = el.getBoundingClientRect()
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
        return !!hit && el.contains(hit)
      }),
    )
    .toBe(true)
  const box = (await button.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  const recording = page.getByTestId('voice-recording')
  // Opening the microphone can take seconds on a slow phone (or a loaded test machine).
  await expect(recording).toContainText('Đang ghi âm', { timeout: 20_000 })
  await expect(recording.getByRole('img', { name: 'Dạng sóng của bản ghi âm' })).toBeVisible()
  await expect(page.getByTestId('voice-elapsed')).toHaveText(new RegExp(`^0:0[${seconds}-9] / 2:00$`), {
    timeout: 10_000,
  })
  await page.mouse.up()
}

/**
 * Issue 17, point 2: a resident who would rather speak than type holds the microphone button, hears
 * the recording back, and sends it; the area officer sees it arrive in the inbox, plays it at 2×
 * speed and answers by voice; the resident receives the answer without reloading.
 */
test('a resident records and sends a voice message that the officer plays and answers by voice', async ({
  browser,
}) => {
  test.setTimeout(240_000)
  // Both allow the microphone, as a user does when the browser asks.
  const officer = await (await browser.newContext({ permissions: ['microphone'] })).newPage()
  const resident = await (await browser.newContext({ permissions: ['microphone'] })).newPage()
  await officer.goto('/')
  await resident.goto('/')
  await signInStaffOnce(officer, 'canbo1')
  await signInResident(resident, '0987000001')
  await officer.goto('/staff/inbox')
  await expect(officer.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })).toBeVisible()

  await test.step('the resident holds to record, listens back and sends', async () => {
    await resident.goto('/ask')
    await holdToRecord(resident, 2)
    const preview = resident.getByRole('region', { name: 'Nghe lại trước khi gửi' })
    await expect(preview).toContainText(/Độ dài 0:0[2-9], tối đa 2:00/)
    await expect(preview.getByRole('img', { name: 'Dạng sóng của bản ghi âm' })).toBeVisible()
    await expectNoA11yViolations(resident)
    if (SCREENSHOTS) await resident.screenshot({ path: `${SCREENSHOTS}/voice-preview-phone.png` })
    const uploaded = resident.waitForResponse(
      (r) => r.url().includes('/attachments') && r.request().method() === 'POST',
    )
    await preview.getByRole('button', { name: 'Gửi tin nhắn thoại' }).click()
    const upload = await uploaded
    expect(upload.status()).toBe(201)
    const file = (await upload.json()) as { kind: string; mime: string; durationMs: number }
    expect(file).toMatchObject({ kind: 'voice', mime: 'audio/webm' })
    expect(file.durationMs).toBeGreaterThanOrEqual(1800)
    expect(file.durationMs).toBeLessThan(10_000)
    const mine = resident.getByTestId('message').filter({ has: resident.getByTestId('voice-player') })
    await expect(mine).toHaveCount(1)
    await expect(mine).toContainText('Đã gửi')
  })

  await test.step('the officer sees it arrive live, plays it at 2× and hears it to the end', async () => {
    const item = officer.getByTestId('inbox-item').filter({ hasText: 'Nguyễn Thị Lan' })
    await expect(item).toBeVisible({ timeout: 10_000 })
    await expect(item).toContainText('Tin nhắn thoại')
    await item.click()
    const message = officer.getByTestId('message').filter({ has: officer.getByTestId('voice-player') })
    await expect(message).toHaveCount(1)
    const player = message.getByTestId('voice-player')
    await expect(player.getByTestId('voice-time')).toHaveText(/^0:0[2-9]$/)
    // The resident's levels stayed on her phone: the officer's browser draws them from the file.
    await expect(player.getByRole('img', { name: 'Dạng sóng của bản ghi âm' })).toBeVisible()
    await player.getByRole('button', { name: 'Tốc độ phát 1×, bấm để đổi' }).click()
    await player.getByRole('button', { name: 'Tốc độ phát 1,5×, bấm để đổi' }).click()
    // The stored recording is served as WebM audio to the officer (without its metadata: server tests).
    const src = (await player.locator('audio').getAttribute('src'))!
    const served = await officer.request.get(src)
    expect(served.status()).toBe(200)
    expect(served.headers()['content-type']).toBe('audio/webm')
    await player.getByRole('button', { name: 'Phát tin nhắn thoại' }).click()
    await expect(player.getByRole('button', { name: 'Tạm dừng' })).toBeVisible()
    expect(await player.locator('audio').evaluate((a: HTMLAudioElement) => a.playbackRate)).toBe(2)
    // Played to the end: the button offers to play again and no error is shown.
    await expect(player.getByRole('button', { name: 'Phát tin nhắn thoại' })).toBeVisible({ timeout: 10_000 })
    expect(await player.locator('audio').evaluate((a: HTMLAudioElement) => a.error)).toBeNull()
    await expect(player.getByRole('alert')).toHaveCount(0)
  })

  await test.step('the officer answers by voice (tap to start, tap to stop); the resident gets it live', async () => {
    await officer.getByRole('button', { name: 'Ghi âm', exact: true }).click()
    await expect(officer.getByTestId('voice-elapsed')).toHaveText(/^0:0[1-9] \/ 2:00$/, { timeout: 20_000 })
    await officer.getByRole('button', { name: 'Dừng ghi âm' }).click()
    await officer.getByRole('button', { name: 'Gửi tin nhắn thoại' }).click()
    const answers = officer.getByTestId('message').filter({ has: officer.getByTestId('voice-player') })
    await expect(answers).toHaveCount(2)
    const heard = resident
      .getByTestId('message')
      .filter({ hasText: 'Cán bộ' })
      .filter({ has: resident.getByTestId('voice-player') })
    await expect(heard).toHaveCount(1, { timeout: 10_000 })
  })

  await test.step('large text on a 360 px phone: the player and the recorder fit without scrolling sideways', async () => {
    await resident.setViewportSize({ width: 360, height: 780 })
    await resident.getByRole('button', { name: 'Chữ lớn' }).first().click()
    await expect(resident.locator('html')).toHaveAttribute('data-text-size', 'large')
    await resident.getByRole('button', { name: 'Ghi âm', exact: true }).click()
    await expect(resident.getByTestId('voice-elapsed')).toHaveText(/^0:0[1-9] \/ 2:00$/, { timeout: 20_000 })
    const overflow = await resident.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    if (SCREENSHOTS) await resident.screenshot({ path: `${SCREENSHOTS}/voice-recording-360-large.png` })
    await resident.getByRole('button', { name: 'Dừng ghi âm' }).click()
    await expect(resident.getByRole('region', { name: 'Nghe lại trước khi gửi' })).toBeVisible()
    const after = await resident.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(after).toBeLessThanOrEqual(0)
    if (SCREENSHOTS) {
      await resident.screenshot({ path: `${SCREENSHOTS}/voice-preview-360-large.png` })
      await resident.getByTestId('message').last().scrollIntoViewIfNeeded()
      await resident.screenshot({ path: `${SCREENSHOTS}/voice-thread-360-large.png`, fullPage: true })
    }
    await resident.getByRole('button', { name: 'Xoá bản ghi' }).click()
    await expect(resident.getByRole('button', { name: 'Ghi âm', exact: true })).toBeVisible()
  })
})
