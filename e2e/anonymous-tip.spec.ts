import { expect, test } from '@playwright/test'
import { closeOpenContexts } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

/** An anonymous tip: the sender gets a code once, the officer answers, the sender reads it with the code. */
test('an anonymous tip is answered by the officer and read back with the tip code', async ({ browser }) => {
  test.setTimeout(120_000)
  const officer = await (await browser.newContext()).newPage()
  const sender = await (
    await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })
  ).newPage()
  await officer.goto('/')
  await signInStaffOnce(officer, 'canbo2')
  const units = await apiCall<{ id: string; name: string }[]>(officer, 'GET', '/api/groups/units')
  const area = units.find((u) => u.name === 'Tổ dân phố số 3')!

  let code = ''
  await test.step('a resident without an account sends a tip anonymously and gets a code once', async () => {
    await sender.goto(`/tips/new?area=${area.id}`)
    await sender.getByRole('radio', { name: 'Cờ bạc' }).check()
    await sender
      .getByLabel('Anh/chị đã thấy gì?')
      .fill('Tụ tập đánh bạc ở nhà kho cuối ngõ 5 vào các tối cuối tuần.')
    await sender.getByRole('checkbox', { name: 'Gửi ẩn danh' }).check()
    await expect(sender.getByText(/không lưu tên, số điện thoại, tài khoản, địa chỉ IP/)).toBeVisible()
    await expect(sender.getByLabel('Số điện thoại')).toHaveCount(0)
    await sender.getByRole('button', { name: 'Gửi tin báo ẩn danh' }).click()
    await expect(sender.getByRole('heading', { name: 'Mã tin báo của anh/chị' })).toBeVisible()
    code = (await sender.getByTestId('tip-code').textContent())?.trim() ?? ''
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/)
    await sender.getByRole('button', { name: 'Sao chép mã' }).click()
    await expect(sender.getByRole('button', { name: 'Đã sao chép' })).toBeVisible()
    expect(await sender.evaluate(() => navigator.clipboard.readText())).toBe(code)
  })

  await test.step('the officer sees an anonymous tip with no sender and answers it', async () => {
    await officer.goto('/staff/tips')
    await officer
      .getByRole('link', { name: /Cờ bạc/ })
      .first()
      .click()
    await expect(
      officer.getByText('Tin báo ẩn danh: không có thông tin người gửi.', { exact: false }),
    ).toBeVisible()
    await expect(officer.getByText('Người gửi:')).toHaveCount(0)
    await officer
      .getByLabel('Trả lời người gửi')
      .fill('Cảm ơn anh/chị. Tối thứ Bảy này công an phường sẽ kiểm tra nhà kho.')
    await officer.getByRole('button', { name: 'Gửi', exact: true }).click()
    await expect(officer.getByText('Tối thứ Bảy này công an phường sẽ kiểm tra nhà kho.')).toBeVisible()
  })

  await test.step('the sender reads the answer with the code and adds information', async () => {
    await sender.goto('/tips/code')
    await sender.getByLabel('Mã tin báo').fill(code.toLowerCase())
    await sender.getByRole('button', { name: 'Xem tin báo' }).click()
    await expect(sender.getByText('Tối thứ Bảy này công an phường sẽ kiểm tra nhà kho.')).toBeVisible()
    await sender.getByLabel('Bổ sung thông tin').fill('Họ thường đến bằng hai xe Wave, khoảng 20 giờ.')
    await sender.getByRole('button', { name: 'Gửi', exact: true }).click()
    await expect(sender.getByText('Họ thường đến bằng hai xe Wave, khoảng 20 giờ.')).toBeVisible()
    expect(sender.url()).not.toContain(code)
  })
})
