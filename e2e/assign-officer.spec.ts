import { expect, test } from '@playwright/test'
import { closeOpenContexts, expectNoA11yViolations, followStaffNav } from './support/browser'
import { signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

/**
 * A commander puts an officer in charge of a residential group that has none; the group's public
 * page (no sign-in) then shows that officer with the official phone number.
 */
test('a commander assigns an officer to an area and its public page shows the new officer', async ({
  browser,
}) => {
  const commander = await (await browser.newContext()).newPage()
  const visitor = await (await browser.newContext()).newPage()
  await commander.goto('/')
  await signInStaffOnce(commander, 'chihuy')

  await test.step('the public page of Tổ dân phố số 8 has no officer yet', async () => {
    await visitor.goto('/a/hai-ba-trung-tdp-8')
    await expect(visitor.getByRole('heading', { level: 1 })).toContainText('Tổ dân phố số 8')
    await expect(visitor.getByText('Đang phân công cán bộ')).toBeVisible()
  })

  await test.step('the commander finds the group in the ward’s list', async () => {
    await commander.goto('/staff')
    await followStaffNav(commander, 'Đơn vị, địa bàn')
    await expect(commander.getByRole('heading', { level: 1, name: 'Phường Hai Bà Trưng' })).toBeVisible()
    const row = commander.getByRole('link', { name: /Tổ dân phố số 8/ })
    await expect(row).toContainText('Chưa phân công')
    await row.click()
    await expect(commander.getByRole('heading', { level: 1, name: 'Tổ dân phố số 8' })).toBeVisible()
    await expect(commander.getByText('Tổ dân phố này chưa có cán bộ phụ trách.')).toBeVisible()
  })

  await test.step('and assigns Đại úy Trần Thị Mai from today', async () => {
    const form = commander.getByRole('form', { name: 'Phân công cán bộ phụ trách' })
    await form
      .getByLabel('Cán bộ')
      .selectOption({ label: 'Đại úy Trần Thị Mai (Tổ dân phố số 3, Tổ dân phố số 4)' })
    await form.getByRole('button', { name: 'Phân công' }).click()
    await expect(commander.getByRole('status')).toContainText(
      'Đã phân công Đại úy Trần Thị Mai phụ trách Tổ dân phố số 8.',
    )
    await expect(commander.getByRole('article', { name: 'Đại úy Trần Thị Mai' })).toBeVisible()
    await expect(commander.getByRole('form', { name: 'Đổi cán bộ phụ trách' })).toBeVisible()
    await expectNoA11yViolations(commander)
  })

  await test.step('the public page now shows her, with her official number', async () => {
    await visitor.reload()
    const card = visitor.getByRole('article', { name: 'Đại úy Trần Thị Mai' })
    await expect(card).toBeVisible()
    await expect(card.getByRole('link', { name: 'Gọi 0912 000 012' })).toHaveAttribute(
      'href',
      'tel:+84912000012',
    )
    await expect(visitor.getByText('Đang phân công cán bộ')).toHaveCount(0)
  })
})
