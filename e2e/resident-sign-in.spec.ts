import { expect, test } from '@playwright/test'
import { expectNoA11yViolations } from './support/browser'

/** Trần Văn Bình, a demo resident of Tổ dân phố số 1 (server/seed/demo-seed.ts). Other journeys sign in
 * other residents: a number gets at most 3 codes in 15 minutes. */
const PHONE_TYPED = '0987 000 002'
const PHONE = '+84987000002'

test.use({ viewport: { width: 360, height: 780 } })

test('a resident signs in with a code from the text message and sees their area and officer', async ({
  page,
}) => {
  await page.goto('/')
  await page.getByRole('link', { name: 'Đăng nhập' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible()
  await expect(page.getByText('Công an không bao giờ hỏi mã đăng nhập')).toBeVisible()

  await test.step('a number that is not a Vietnamese mobile is refused with a clear message', async () => {
    await page.getByLabel('Số điện thoại di động').fill('024 3978 1234')
    await page.getByRole('button', { name: 'Nhận mã qua tin nhắn' }).click()
    await expect(page.getByText('Số điện thoại chưa đúng')).toBeVisible()
    await expect(page.getByLabel('Số điện thoại di động')).toHaveAttribute('aria-invalid', 'true')
  })

  await test.step('asks for a code by SMS', async () => {
    await page.getByLabel('Số điện thoại di động').fill(PHONE_TYPED)
    await page.getByRole('button', { name: 'Nhận mã qua tin nhắn' }).click()
    await expect(page.getByRole('status')).toContainText('0987 000 002')
    await expectNoA11yViolations(page)
  })

  await test.step('types the code the development SMS provider "sent"', async () => {
    const res = await page.request.get(`/api/dev/last-otp?phone=${encodeURIComponent(PHONE)}`)
    expect(res.status(), await res.text()).toBe(200)
    const { code } = (await res.json()) as { code: string }
    await page.getByLabel('Mã đăng nhập').fill(code)
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
  })

  await test.step('lands on the home page, and finds "my account" with their area and officer', async () => {
    await expect(page).toHaveURL(/\/$/)
    await page
      .getByRole('navigation', { name: 'Điều hướng của cư dân' })
      .getByRole('link', { name: 'Tài khoản', exact: true })
      .click()
    await expect(page).toHaveURL(/\/me$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Tài khoản của tôi' })).toBeVisible()
    const area = page.getByRole('region', { name: 'Khu vực và cảnh sát khu vực của tôi' })
    await expect(area).toContainText('Tổ dân phố số 1')
    await expect(area).toContainText('Phường Hai Bà Trưng')
    await expect(area).toContainText('Thượng úy Lê Đức Chương')
    await expect(area.getByRole('link', { name: '0912 000 011' })).toHaveAttribute('href', 'tel:+84912000011')
    await expect(page.getByRole('region', { name: 'Thiết bị đang đăng nhập' })).toContainText('thiết bị này')
    await expectNoA11yViolations(page)
  })

  await test.step('a reload keeps them signed in; signing out ends it', async () => {
    await page.reload()
    await expect(page.getByText('Tổ dân phố số 1').first()).toBeVisible()
    await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click()
    await expect(page).toHaveURL(/\/$/)
    await page.goto('/me')
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fme|\/sign-in\?next=\/me/)
  })
})
