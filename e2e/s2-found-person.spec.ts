import { expect, test } from '@playwright/test'
import sharp from 'sharp'
import { signInResident, signInStaff } from './support/api-sign-in'
import { closeOpenContexts, followStaffNav } from './support/browser'

test.afterEach(closeOpenContexts)

/**
 * Story S2: ward police take in an elderly woman and publish a "found person" alert with her photo
 * to the ward and its neighbours; the commander approves it; a resident of the neighbouring ward
 * sees it without reloading and answers; the officer adds an update, which residents read under
 * the description it never replaces (issue 19); the officer closes it "reunited"; the resident sees it.
 */
test('a found-person alert reaches the neighbouring ward, is answered and closed "reunited"', async ({
  browser,
}) => {
  // Several people, each signing in: longer than one page's default budget.
  test.setTimeout(120_000)
  const officer = await (await browser.newContext()).newPage()
  const commander = await (await browser.newContext()).newPage()
  const resident = await (await browser.newContext()).newPage()
  await officer.goto('/')
  await commander.goto('/')
  await resident.goto('/')
  await signInStaff(officer, 'canbo1')
  await signInStaff(commander, 'chihuy')
  await signInResident(resident, '0987000005')

  await test.step('the resident of Phường Bạch Mai has no alert yet', async () => {
    await resident.goto('/alerts')
    await expect(resident.getByRole('heading', { level: 1, name: 'Cảnh báo, thông báo' })).toBeVisible()
    await expect(resident.getByText('Hiện chưa có cảnh báo nào')).toBeVisible()
  })

  await test.step('the commander has the console open', async () => {
    await commander.goto('/staff')
    await expect(commander.getByRole('navigation', { name: 'Trang làm việc' })).toBeVisible()
  })

  const headline = 'Tìm người thân cho cụ bà khoảng 80 tuổi tên Tám'
  await test.step('the officer writes the alert with a photo and sees how many residents it reaches', async () => {
    await officer.goto('/staff/alerts/new')
    await officer.getByLabel('Loại cảnh báo').selectOption({ label: 'Tìm người thân' })
    await officer.getByLabel('Tiêu đề').fill(headline)
    await officer
      .getByLabel('Nội dung', { exact: true })
      .fill(
        'Cụ bà mặc áo bà ba màu nâu, nói đến thăm con ở phố Lò Đúc. Hiện cụ đang ở trụ sở Công an phường Hai Bà Trưng.',
      )
    await officer.getByLabel('Cư dân cần làm gì').fill('Ai nhận ra cụ, xin báo ngay cho công an phường.')
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#b08968' } })
      .jpeg()
      .toBuffer()
    await officer
      .getByLabel(/^Ảnh/)
      .setInputFiles({ name: 'cu-ba.jpg', mimeType: 'image/jpeg', buffer: photo })
    await officer.getByRole('radio', { name: /Phường và các phường lân cận \(.*Phường Bạch Mai/ }).check()
    await expect(officer.getByTestId('recipient-count')).toContainText(/Sẽ gửi tới \d+ cư dân/)
    await expect(officer.getByText('Phạm vi này cần chỉ huy duyệt trước khi phát.')).toBeVisible()
    await officer.getByRole('button', { name: 'Gửi chỉ huy duyệt' }).click()
    await expect(officer.getByRole('heading', { level: 1, name: headline })).toBeVisible()
    await expect(officer.getByText('Đang chờ chỉ huy duyệt.')).toBeVisible()
  })
  const alertPath = new URL(officer.url()).pathname
  const alertId = alertPath.split('/').pop()!

  await test.step('the commander sees it waiting on the alerts link, without reloading, and approves it', async () => {
    // The badge counts the alerts waiting for this commander (issue 19): the link's name says how many.
    await followStaffNav(commander, /^Cảnh báo, \d+ chờ duyệt$/)
    await expect(commander).toHaveURL(/\/staff\/alerts$/)
    await commander.getByRole('link', { name: headline }).click()
    await commander.getByRole('button', { name: 'Duyệt và phát' }).click()
    await expect(commander.getByText('Đang phát')).toBeVisible()
  })

  await test.step('the resident sees it without reloading, opens it and answers', async () => {
    const link = resident.getByRole('link', { name: headline })
    await expect(link).toBeVisible({ timeout: 10_000 })
    await link.click()
    await expect(resident).toHaveURL(new RegExp(`/alerts/${alertId}$`))
    await expect(resident.getByRole('img', { name: headline })).toBeVisible()
    await resident
      .getByLabel('Anh/chị biết người này? Hãy báo cho công an')
      .fill('Đây là mẹ của chị Hoa, nhà số 12 ngõ 5 Lò Đúc.')
    await resident.getByRole('button', { name: 'Gửi thông tin' }).click()
    await expect(resident.getByText('Đã gửi. Cán bộ công an sẽ liên hệ lại với anh/chị.')).toBeVisible()
  })

  const news = 'Cụ nhớ con gái tên Hoa, làm ở chợ Mơ. Công an phường đang liên hệ chợ Mơ.'
  await test.step('an update is added under the description, which stays; the resident sees it live', async () => {
    await officer.getByLabel(/^Thông tin mới/).fill(news)
    await officer.getByRole('button', { name: 'Gửi cập nhật' }).click()
    const history = resident.getByRole('region', { name: 'Diễn biến' })
    await expect(history.getByText(news)).toBeVisible({ timeout: 10_000 })
    await expect(history).toContainText(/Cập nhật · \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/)
    await expect(resident.getByText('Cụ bà mặc áo bà ba màu nâu', { exact: false })).toBeVisible()
    await expect(officer.getByText('Cụ bà mặc áo bà ba màu nâu', { exact: false })).toBeVisible()
    await expect(officer.getByRole('region', { name: 'Diễn biến' }).getByText(news)).toBeVisible()
    await resident.screenshot({ path: 'test-results/s19-alert-history.png', fullPage: true })
  })

  await test.step('the officer sees the answer and closes the alert "reunited"', async () => {
    await expect(officer.getByText('Đây là mẹ của chị Hoa, nhà số 12 ngõ 5 Lò Đúc.')).toBeVisible({
      timeout: 10_000,
    })
    await expect(officer.getByText('Đỗ Thị Hoa')).toBeVisible()
    await officer
      .getByLabel('Kết thúc cảnh báo với kết quả')
      .fill('Cụ bà đã đoàn tụ với gia đình. Cảm ơn bà con!')
    await officer.getByRole('button', { name: 'Kết thúc', exact: true }).click()
    await expect(officer.getByText('Đã kết thúc').first()).toBeVisible()
  })

  await test.step('the resident sees the update without reloading', async () => {
    await expect(
      resident.getByRole('status').filter({ hasText: 'Cụ bà đã đoàn tụ với gia đình. Cảm ơn bà con!' }),
    ).toBeVisible({
      timeout: 10_000,
    })
    await expect(resident.getByRole('button', { name: 'Gửi thông tin' })).toHaveCount(0)
  })

  await test.step('the public share page shows the outcome with Open Graph tags', async () => {
    const share = await resident.request.get(`/alerts/${alertId}/share`)
    const html = await share.text()
    expect(html).toContain(`<meta property="og:title" content="Tìm người thân: ${headline}">`)
    expect(html).toMatch(/<meta property="og:image" content="http:\/\/[^"]+\/api\/alerts\/[^"]+\/photos\//)
    expect(html).toContain('Cụ bà đã đoàn tụ với gia đình')
  })
})
