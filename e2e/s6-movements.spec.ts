import { expect, type Page, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { expectNoA11yViolations } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

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
  await page.getByLabel('Ngày bắt đầu thuê').fill('2026-12-01')
  await page.getByLabel('Đến ngày').fill('2027-05-31')
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
