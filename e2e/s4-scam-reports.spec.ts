import { expect, test } from '@playwright/test'
import { signInResident, signInStaff } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'

test.afterEach(closeOpenContexts)

/**
 * Issue 17.1: a resident checks a number that is not an officer's and reports it in two taps; the
 * area officer verifies it in the queue and raises a scam warning from it in one click; a second
 * resident's caller check then says how many people of the province reported it, and the number's
 * public page shows counts — never who reported.
 */
test('a reported scam number, once verified, warns the next resident who checks it', async ({ browser }) => {
  // Three people, each signing in: longer than one page's default budget.
  test.setTimeout(150_000)
  const scamNumber = '0703 555 123'
  const reporter = await (await browser.newContext()).newPage()
  const officer = await (await browser.newContext()).newPage()
  const neighbour = await (await browser.newContext()).newPage()
  for (const p of [reporter, officer, neighbour]) await p.goto('/')
  // Hoàng Thị Tám lives in a group canbo1 covers; Vũ Quốc Khánh in another group of the ward.
  await signInResident(reporter, '0987000003')
  await signInStaff(officer, 'canbo1')
  await signInResident(neighbour, '0987000004')

  await test.step('the first resident checks the number, then reports it in two taps', async () => {
    await reporter.goto('/check-caller')
    await reporter.getByLabel('Số điện thoại cần kiểm tra').fill(scamNumber)
    await reporter.getByRole('button', { name: 'Kiểm tra' }).click()
    const warning = reporter.getByRole('region', {
      name: 'Đây KHÔNG phải số điện thoại chính thức của công an',
    })
    await expect(warning).toBeVisible()
    await expect(warning.getByTestId('caller-scam')).toHaveCount(0)
    await warning.getByRole('button', { name: 'Báo số này là lừa đảo' }).click()
    // What the caller claimed and when are preselected; the amount is one more field, if known.
    await expect(warning.getByRole('radio', { name: 'Công an', exact: true })).toBeChecked()
    await expect(warning.getByRole('radio', { name: 'Vừa xong' })).toBeChecked()
    await warning.getByLabel(/Số tiền người gọi yêu cầu chuyển/).fill('50000000')
    await expectNoA11yViolations(reporter)
    // A double tap: the client key makes it one report.
    await warning.getByRole('button', { name: 'Gửi báo cáo' }).dblclick()
    await expect(warning.getByRole('status')).toContainText('Đã gửi. Cảm ơn anh/chị!')
  })

  await test.step('the area officer sees it once in the queue with the reporter, and verifies it', async () => {
    await officer.goto('/staff/scam-reports')
    const card = officer.getByRole('listitem', { name: '0703555123' })
    await expect(card).toHaveCount(1)
    await expect(card).toContainText('Hoàng Thị Tám')
    await expect(card).toContainText('50.000.000 đ')
    await expect(card).toContainText('1 người đã báo số này')
    await card.getByRole('button', { name: 'Xác minh là lừa đảo' }).click()
    await officer.getByRole('button', { name: 'Đã xác minh' }).click()
    const verified = officer.getByRole('listitem', { name: '0703555123' })
    await expect(verified).toContainText('Đã xác minh')
  })

  await test.step('one click raises a scam warning about the number', async () => {
    const card = officer.getByRole('listitem', { name: '0703555123' })
    await card.getByRole('button', { name: 'Phát cảnh báo lừa đảo' }).click()
    await card.getByRole('link', { name: 'Xem cảnh báo đã phát' }).click()
    await expect(officer.getByRole('heading', { level: 1 })).toContainText(
      'Cảnh báo: số 0703 555 123 giả danh công an để lừa đảo',
    )
  })

  await test.step('a second resident checks the number: the answer says how many reported it', async () => {
    await neighbour.goto('/check-caller')
    await neighbour.getByLabel('Số điện thoại cần kiểm tra').fill('+84 703.555.123')
    await neighbour.getByRole('button', { name: 'Kiểm tra' }).click()
    const line = neighbour.getByTestId('caller-scam')
    await expect(line).toContainText(
      /Số này đã bị 1 người ở .+ báo là lừa đảo giả danh công an trong 7 ngày qua\./,
    )
    await line.getByRole('link', { name: 'Xem trang số lừa đảo' }).click()
    await expect(neighbour.getByRole('heading', { level: 1 })).toContainText(
      'Số 0703 555 123 là số lừa đảo giả danh công an',
    )
    // One reporter: the public page never gives a count under 3 (k-anonymity), it says "dưới 3".
    await expect(neighbour.getByTestId('scam-page-lead')).toContainText('Số này đã bị dưới 3 người ở')
    await expect(neighbour.getByRole('table')).toContainText('Dưới 3')
    await expect(neighbour.getByRole('table')).not.toContainText(/\b1\b/)
    // Counts only: nothing of the reporter is on the page.
    const text = await neighbour.locator('main').textContent()
    for (const secret of ['Hoàng Thị Tám', '0987000003', '0987 000 003', '50.000.000'])
      expect(text).not.toContain(secret)
    await expectNoA11yViolations(neighbour)
  })
})
