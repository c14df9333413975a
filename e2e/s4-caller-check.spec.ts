import { expect, test } from '@playwright/test'
import { expectNoA11yViolations } from './support/browser'

/**
 * Story S4: a resident gets a call from someone claiming to be the police. They check the number:
 * first a number that is not official (a clear warning and the advice), then their area officer's.
 */
test('a resident checks a number that is not official, then one that is', async ({ page }) => {
  await page.goto('/')
  await page.getByRole('link', { name: 'Kiểm tra số điện thoại gọi đến có phải công an không' }).click()
  await expect(page).toHaveURL(/\/check-caller$/)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('có phải công an không')
  const input = page.getByLabel('Số điện thoại cần kiểm tra')

  await test.step('an unknown number: a clear warning with the scam-safety advice', async () => {
    await input.fill('0987 654 321')
    await page.getByRole('button', { name: 'Kiểm tra' }).click()
    const warning = page.getByRole('region', { name: 'Đây KHÔNG phải số điện thoại chính thức của công an' })
    await expect(warning).toBeVisible()
    await expect(warning).toContainText('0987 654 321')
    await expect(warning.getByRole('listitem')).toHaveCount(6)
    await expect(warning).toContainText('Công an không bao giờ yêu cầu chuyển tiền')
    await expect(warning.getByRole('link', { name: 'Khẩn cấp: gọi 113' })).toHaveAttribute('href', 'tel:113')
    await expectNoA11yViolations(page)
  })

  await test.step('the area officer’s number, typed another way: the officer is named', async () => {
    await input.fill('+84 912.000.011')
    await page.getByRole('button', { name: 'Kiểm tra' }).click()
    const answer = page.getByRole('region', {
      name: 'Đây là số điện thoại chính thức của Thượng úy Lê Đức Chương',
    })
    await expect(answer).toBeVisible()
    await expect(answer).toContainText('Cảnh sát khu vực, Phường Hai Bà Trưng')
    await expect(page.getByRole('region', { name: /KHÔNG phải/ })).toHaveCount(0)
    await answer.getByRole('link', { name: 'Xem trang đơn vị' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Phường Hai Bà Trưng' })).toBeVisible()
    await expect(page.getByRole('article', { name: 'Thượng úy Lê Đức Chương' })).toContainText('0912 000 011')
  })
})

test('the caller check reads in English and explains a mistyped number', async ({ page }) => {
  await page.goto('/check-caller')
  await page.getByRole('button', { name: 'English' }).click()
  const input = page.getByLabel('Phone number to check')
  await input.fill('12345')
  await page.getByRole('button', { name: 'Check' }).click()
  await expect(page.getByText('This phone number is not valid.')).toBeVisible()
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  await input.fill('024 3978 1234')
  await page.getByRole('button', { name: 'Check' }).click()
  await expect(
    page.getByRole('region', { name: 'This is the official phone number of Phường Hai Bà Trưng' }),
  ).toBeVisible()
})
