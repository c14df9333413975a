import { expect, type Page, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

/** Fills the tenant form the way a landlord would on a phone. */
async function reportTenant(
  page: Page,
  who: { name: string; id: string; address: string },
  beforeSend: () => Promise<void> = async () => {},
) {
  await page.goto('/movements')
  await page.getByRole('link', { name: 'Báo người thuê trọ đến' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Báo người thuê trọ đến' })).toBeVisible()
  await page.getByLabel('Họ và tên').fill(who.name)
  await page.getByLabel('Số định danh cá nhân (12 số trên thẻ căn cước)').fill(who.id)
  await page.getByLabel('Tổ dân phố').selectOption({ label: 'Tổ dân phố số 1' })
  await page.getByLabel('Địa chỉ').fill(who.address)
  await page.getByLabel('Ngày bắt đầu thuê').fill('01/12/2026') // typed day first, as residents write dates
  await page.getByLabel('Đến ngày').fill('31/05/2027')
  await beforeSend()
  await page.getByRole('button', { name: 'Gửi khai báo' }).click()
}

/**
 * Story S6: a landlord reports a new tenant (once with a wrong ID number, once offline); the area
 * officer confirms it; the register shows the tenant with the stay's end date, and the landlord
 * sees it confirmed.
 */
test('a landlord reports a tenant, the officer confirms, the register shows the stay’s end', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const officer = await (await browser.newContext()).newPage()
  const landlordContext = await browser.newContext()
  const landlord = await landlordContext.newPage()
  for (const p of [officer, landlord]) await p.goto('/')
  await signInStaffOnce(officer, 'canbo1')
  await signInResident(landlord, '0987000002')

  await test.step('the landlord joins the landlords’ group of the area', async () => {
    const units = await apiCall<{ id: string; name: string }[]>(officer, 'GET', '/api/groups/units')
    const area = units.find((u) => u.name === 'Tổ dân phố số 1')!
    const group = await apiCall<{ id: string }>(officer, 'POST', '/api/groups', {
      kind: 'landlords',
      unitId: area.id,
      name: 'Chủ nhà trọ Tổ dân phố số 1',
      description: 'Trao đổi về khai báo người thuê trọ.',
      joinPolicy: 'open',
    })
    const invite = await apiCall<{ code: string }>(officer, 'GET', `/api/groups/${group.id}/invite`)
    await apiCall(landlord, 'POST', '/api/groups/join', { code: invite.code })
  })

  await test.step('a wrong ID number is refused, naming the field in Vietnamese', async () => {
    await reportTenant(landlord, {
      name: 'Đặng Thị Thu',
      id: '00120300456',
      address: 'Phòng 203, số 41 phố Huế',
    })
    await expect(landlord.getByText('Số định danh cá nhân phải gồm đúng 12 chữ số.')).toBeVisible()
    await landlord.getByLabel('Số định danh cá nhân (12 số trên thẻ căn cước)').fill('001203004567')
    await landlord.getByRole('button', { name: 'Gửi khai báo' }).click()
    await expect(landlord.getByRole('status')).toContainText('Đã gửi')
    await landlord.screenshot({ path: 'test-results/s6-landlord-sent.png' })
  })

  await test.step('offline, the report waits on the phone and goes when the network is back', async () => {
    await reportTenant(
      landlord,
      { name: 'Lý Văn Nam', id: '001099007788', address: 'Phòng 204, số 41 phố Huế' },
      () => landlordContext.setOffline(true),
    )
    await expect(landlord.getByRole('status')).toContainText('chờ gửi')
    await landlordContext.setOffline(false)
    await landlord.getByRole('link', { name: 'Xem các khai báo' }).click()
    // The outbox backs off while offline (2 s, 4 s, 8 s…), so the send may come a few seconds later.
    await expect(landlord.getByRole('listitem').filter({ hasText: 'Lý Văn Nam' })).toContainText(
      'Chờ cán bộ kiểm tra',
      { timeout: 30_000 },
    )
  })

  await test.step('the officer confirms the tenant in the verification queue', async () => {
    await officer.goto('/staff/movements')
    const card = officer.getByRole('listitem', { name: 'Đặng Thị Thu' })
    await expect(card).toContainText('001203004567')
    await expect(card).toContainText('chủ nhà trọ')
    await officer.screenshot({ path: 'test-results/s6-queue.png', fullPage: true })
    await card.getByRole('button', { name: 'Xác nhận' }).click()
    await expect(officer.getByRole('listitem', { name: 'Đặng Thị Thu' })).toHaveCount(0)
  })

  await test.step('the register shows the tenant and the stay’s end date; search needs no diacritics', async () => {
    await officer.goto('/staff/register')
    await expect(officer.getByRole('note').first()).toContainText(
      'không phải Cơ sở dữ liệu quốc gia về dân cư',
    )
    await officer.getByRole('searchbox').fill('dang thi thu')
    const household = officer.getByRole('listitem').filter({ hasText: 'Phòng 203, số 41 phố Huế' })
    await expect(household).toContainText('Đặng Thị Thu')
    await expect(household).toContainText('Tạm trú đến 31/05/2027')
    await officer.screenshot({ path: 'test-results/s6-register.png', fullPage: true })
    await expectNoA11yViolations(officer)
  })

  await test.step('the landlord sees the report confirmed', async () => {
    await landlord.goto('/movements')
    await expect(landlord.getByRole('listitem').filter({ hasText: 'Đặng Thị Thu' })).toContainText(
      'Đã xác nhận',
    )
    await expectNoA11yViolations(landlord)
  })
})

/**
 * Story S6, businesses: a guest house uploads tonight's guest list as the CSV it keeps; one row has
 * a wrong ID number, so nothing is imported and the page says which row and column; the fixed file
 * goes through, and the foreign guest is pointed to the foreigners' declaration. Then, on a 360 px
 * phone in large text, it types two late guests in the multi-row form (a wrong row named, a row
 * removed), sends them offline, and the list arrives once when the network is back.
 */
test('a guest house uploads its guest list, sees the wrong row, fixes it and sends it', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const officer = await (await browser.newContext()).newPage()
  const hotel = await (await browser.newContext()).newPage()
  for (const p of [officer, hotel]) await p.goto('/')
  await signInStaffOnce(officer, 'canbo1')
  await signInResident(hotel, '0987000006')

  await test.step('the guest house joins the businesses’ group of the area', async () => {
    const units = await apiCall<{ id: string; name: string }[]>(officer, 'GET', '/api/groups/units')
    const area = units.find((u) => u.name === 'Tổ dân phố số 1')!
    const group = await apiCall<{ id: string }>(officer, 'POST', '/api/groups', {
      kind: 'security_conditional_business',
      unitId: area.id,
      name: 'Cơ sở lưu trú Tổ dân phố số 1',
      description: 'Khách sạn, nhà nghỉ, homestay: thông báo lưu trú.',
      joinPolicy: 'open',
    })
    const invite = await apiCall<{ code: string }>(officer, 'GET', `/api/groups/${group.id}/invite`)
    await apiCall(hotel, 'POST', '/api/groups/join', { code: invite.code })
  })

  const header = 'STT,Họ và tên,Số CCCD/Hộ chiếu,Quốc tịch,Số phòng,Ngày đến,Giờ đến,Ngày đi'
  const rows = [
    '1,Hoàng Văn Phúc,001085003311,Việt Nam,101,04/12/2026,20:00,06/12/2026',
    '2,Park Ji-woo,M7654321,Hàn Quốc,102,04/12/2026,22:10,07/12/2026',
    '3,Lò Thị Sen,00118800772,Việt Nam,103,04/12/2026,21:00,05/12/2026',
  ]
  const file = (lines: string[]) => ({
    name: 'khach-dem-04-12.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\ufeff${[header, ...lines].join('\r\n')}\r\n`),
  })

  await test.step('one wrong row: nothing imported, the page names the row and the column', async () => {
    await hotel.goto('/movements')
    await hotel.getByRole('link', { name: 'Gửi danh sách khách (tệp CSV/Excel)' }).click()
    await expect(hotel.getByRole('heading', { level: 1, name: 'Gửi danh sách khách lưu trú' })).toBeVisible()
    await hotel.getByLabel('Tổ dân phố').selectOption({ label: 'Tổ dân phố số 1' })
    await hotel.getByLabel('Địa chỉ cơ sở lưu trú').fill('Nhà nghỉ Hoa Sen, số 9 phố Huế')
    await hotel.getByLabel('Tệp danh sách khách (CSV hoặc .xlsx)').setInputFiles(file(rows))
    await hotel.getByRole('button', { name: 'Gửi danh sách' }).click()
    const alert = hotel.getByRole('alert')
    await expect(alert).toContainText('Chưa nhập khách nào')
    await expect(alert.getByRole('listitem')).toHaveCount(1)
    await expect(alert.getByRole('listitem')).toContainText('Dòng 4, Số CCCD/Hộ chiếu:')
    await expect(alert.getByRole('listitem')).toContainText('12 chữ số')
    await hotel.screenshot({ path: 'test-results/s6-guest-list-refused.png', fullPage: true })
  })

  await test.step('the fixed file goes through; the foreign guest is flagged', async () => {
    const fixed = [rows[0]!, rows[1]!, rows[2]!.replace('00118800772', '001188007723')]
    await hotel.getByLabel('Tệp danh sách khách (CSV hoặc .xlsx)').setInputFiles(file(fixed))
    await hotel.getByRole('button', { name: 'Gửi danh sách' }).click()
    await expect(hotel.getByRole('status')).toContainText('Đã nhận danh sách: 3 khách')
    await expect(hotel.getByText('1 khách là người nước ngoài')).toBeVisible()
    await expect(hotel.getByRole('listitem').filter({ hasText: 'Park Ji-woo' })).toContainText(
      'Người nước ngoài',
    )
    await expect(hotel.getByText('Các cột không lưu (chỉ giữ thông tin cần thiết): STT.')).toBeVisible()
    await hotel.screenshot({ path: 'test-results/s6-guest-list-sent.png', fullPage: true })
    await expectNoA11yViolations(hotel)
  })

  const guest = (n: number) => hotel.getByRole('group', { name: `Khách ${n}`, exact: true })
  const fillGuest = async (n: number, g: { name: string; id: string; from: string; to: string }) => {
    await guest(n).getByLabel('Họ và tên').fill(g.name)
    await guest(n).getByLabel('Số định danh cá nhân (12 số trên thẻ căn cước)').fill(g.id)
    await guest(n).getByLabel('Ngày đến').fill(g.from)
    await guest(n).getByLabel('Ngày đi').fill(g.to)
  }

  await test.step('on a 360 px phone in large text, the form names each wrong guest and field', async () => {
    await hotel.setViewportSize({ width: 360, height: 740 })
    await hotel.goto('/movements')
    await hotel.getByRole('button', { name: 'Chữ lớn' }).click()
    await expect(hotel.locator('html')).toHaveAttribute('data-text-size', 'large')
    await hotel.getByRole('link', { name: 'Nhập danh sách khách trên màn hình' }).click()
    await expect(
      hotel.getByRole('heading', { level: 1, name: 'Danh sách khách lưu trú (nhập trên màn hình)' }),
    ).toBeVisible()
    await hotel.getByLabel('Tổ dân phố').selectOption({ label: 'Tổ dân phố số 1' })
    await hotel.getByLabel('Địa chỉ cơ sở lưu trú').fill('Nhà nghỉ Hoa Sen, số 9 phố Huế')
    await fillGuest(1, { name: 'Trịnh Văn Quang', id: '001090004455', from: '05/12/2026', to: '06/12/2026' })
    await hotel.getByRole('button', { name: 'Thêm khách' }).click()
    await fillGuest(2, { name: 'Mai Thị Hoa', id: '0010900', from: '05/12/2026', to: '2026-12-07' })
    await hotel.getByRole('button', { name: 'Thêm khách' }).click()
    await guest(3).getByLabel('Họ và tên').fill('Khách nhập nhầm')
    await guest(3).getByRole('button', { name: 'Xoá khách 3' }).click()
    await expect(guest(3)).toHaveCount(0)
    await hotel.getByRole('button', { name: 'Gửi danh sách (2 khách)' }).click()
    await expect(hotel.getByRole('alert')).toContainText('1 khách có thông tin cần sửa (khách 2)')
    await expect(guest(2)).toContainText('Số định danh cá nhân phải gồm đúng 12 chữ số.')
    await expect(guest(2)).toContainText('Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/12/2026.')
    await expect(guest(1).locator('.field__error')).toHaveCount(0)
    // Mobile first: nothing wider than the phone, even in large text.
    expect(await hotel.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await hotel.screenshot({ path: 'test-results/s6-guest-form-errors.png', fullPage: true })
    await expectNoA11yViolations(hotel)
  })

  await test.step('offline, the typed list waits on the phone and arrives once when the network is back', async () => {
    await guest(2).getByLabel('Số định danh cá nhân (12 số trên thẻ căn cước)').fill('001090006677')
    await guest(2).getByLabel('Ngày đi').fill('07/12/2026')
    await hotel.context().setOffline(true)
    await hotel.getByRole('button', { name: 'Gửi danh sách (2 khách)' }).click()
    await expect(hotel.getByRole('status')).toContainText('Chưa có mạng: danh sách 2 khách đã được lưu')
    await hotel.context().setOffline(false)
    await hotel.getByRole('link', { name: 'Xem các khai báo' }).click()
    const mine = async () =>
      (
        await apiCall<{ items: { person: { fullName: string } }[] }>(
          hotel,
          'GET',
          '/api/movements/reports/mine',
        )
      ).items
    // The outbox backs off while offline (2 s, 4 s, 8 s…), so the send may come a few seconds later.
    await expect
      .poll(async () => (await mine()).filter((r) => r.person.fullName === 'Mai Thị Hoa').length, {
        timeout: 30_000,
      })
      .toBe(1)
    await expect(hotel.getByRole('listitem').filter({ hasText: 'Trịnh Văn Quang' })).toContainText(
      'Chờ cán bộ kiểm tra',
    )
    // Opening the page again (which flushes the outbox) sends nothing more.
    await hotel.reload()
    await expect(hotel.getByRole('listitem').filter({ hasText: 'Mai Thị Hoa' })).toHaveCount(1)
    expect((await mine()).filter((r) => r.person.fullName === 'Trịnh Văn Quang')).toHaveLength(1)
  })

  await test.step('the officer finds the guests in the queue', async () => {
    await officer.goto('/staff/movements')
    await expect(officer.getByRole('listitem', { name: 'Lò Thị Sen' })).toContainText('001188007723')
    await expect(officer.getByRole('listitem', { name: 'Mai Thị Hoa' })).toHaveCount(1)
    await officer.getByRole('link', { name: 'Số liệu theo tổ dân phố' }).click()
    const row = officer.getByRole('row', { name: /Tổ dân phố số 1\b/ })
    await expect(row).toBeVisible()
    await expectNoA11yViolations(officer)
  })
})
