import { expect, type Page, test } from '@playwright/test'
import sharp from 'sharp'
import {
  closeOpenContexts,
  expectNoA11yViolations,
  expectNoSideScroll,
  followStaffNav,
} from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

// Tổ dân phố số 3 of the demo ward is covered by Đại úy Trần Thị Mai (canbo2).
const AREA_SLUG = 'hai-ba-trung-tdp-3'
const OFFICER = 'Trần Thị Mai'

interface DirectoryArea {
  area: { currentOfficer: { name: string; photoUrl: string | null } | null }
}

/** A portrait (landscape on purpose: the server crops it square), with EXIF the server strips. */
async function portrait() {
  const face = Buffer.from(
    '<svg width="480" height="360"><rect width="480" height="360" fill="#d8e4f0"/><circle cx="240" cy="150" r="80" fill="#e0b48c"/><rect x="140" y="240" width="200" height="120" rx="40" fill="#2f4f2f"/></svg>',
  )
  const buffer = await sharp(face)
    .jpeg()
    .withExif({ IFD0: { Make: 'DemoPhone', Artist: OFFICER } })
    .toBuffer()
  return { name: 'chan-dung.jpg', mimeType: 'image/jpeg', buffer }
}

/** The officer's photo on the area page a resident opens from the poster: its address, or null. */
async function photoOnAreaPage(page: Page): Promise<string | null> {
  await page.goto(`/a/${AREA_SLUG}`)
  const card = page.locator('.officer-card', { hasText: OFFICER }).first()
  await expect(card).toBeVisible()
  const img = card.locator('img')
  return (await img.count()) ? await img.getAttribute('src') : null
}

/**
 * Story S7 with issue 19, point 7: the officer sets their own photo; residents see it on the area
 * page and the printed poster only once a commander of the ward approved it. On a phone, and at a
 * desk in the ward station (the desk project), where commanders approve from the staff console.
 */
test(
  'an officer’s photo shows on the area page and the poster once the commander approves it',
  { tag: '@desk' },
  async ({ browser }, info) => {
    test.setTimeout(180_000)
    const device =
      info.project.name === 'desk'
        ? { viewport: { width: 1366, height: 800 } }
        : { viewport: { width: 412, height: 915 }, hasTouch: true }
    const resident = await (await browser.newContext(device)).newPage()
    const area = await apiCall<DirectoryArea>(resident, 'GET', `/api/directory/areas/${AREA_SLUG}`)
    expect(area.area.currentOfficer?.name).toContain(OFFICER)
    // A server reused between local runs may already show an approved photo: it must stay until the new one is approved.
    const before = await photoOnAreaPage(resident)
    expect(before).toBe(area.area.currentOfficer!.photoUrl)

    const officer = await (await browser.newContext(device)).newPage()
    let sent = ''
    await test.step('the officer sends a photo from their account page; it waits for the commander', async () => {
      await officer.goto('/')
      await signInStaffOnce(officer, 'canbo2')
      await officer.goto('/staff')
      await followStaffNav(officer, 'Tài khoản')
      await expect(officer.getByRole('heading', { name: 'Ảnh chân dung' })).toBeVisible()
      await officer.getByLabel('Chọn ảnh chân dung').setInputFiles(await portrait())
      await officer.getByRole('button', { name: 'Gửi ảnh để chỉ huy duyệt' }).click()
      await expect(officer.getByText(/Ảnh mới đang chờ chỉ huy duyệt/)).toBeVisible()
      await expectNoSideScroll(officer)
      await expectNoA11yViolations(officer)
      sent = (await apiCall<{ latest: { url: string } }>(officer, 'GET', '/api/me/photo')).latest.url
    })

    await test.step('residents still see no photo, or the one approved before', async () => {
      expect(await photoOnAreaPage(resident)).toBe(before)
      expect((await resident.request.get(sent)).status()).toBe(404)
    })

    const commander = await (await browser.newContext(device)).newPage()
    await test.step('the commander approves it from the list of photos waiting', async () => {
      await commander.goto('/')
      await signInStaffOnce(commander, 'chihuy')
      await commander.goto('/staff')
      await followStaffNav(commander, 'Ảnh cán bộ chờ duyệt')
      const item = commander.getByRole('article', { name: new RegExp(OFFICER) })
      await expect(item.getByRole('img', { name: /Ảnh mới của/ })).toHaveAttribute('src', sent)
      await expectNoSideScroll(commander)
      await commander.screenshot({ path: test.info().outputPath(`photos-waiting-${info.project.name}.png`) })
      await expectNoA11yViolations(commander)
      await item.getByRole('button', { name: 'Duyệt ảnh' }).click()
      await expect(item).toHaveCount(0)
    })

    await test.step('the area page and the printed poster show the approved photo', async () => {
      expect(await photoOnAreaPage(resident)).toBe(sent)
      await resident.screenshot({ path: test.info().outputPath(`area-page-${info.project.name}.png`) })
      const img = resident.locator('.officer-card', { hasText: OFFICER }).first().locator('img')
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0)
      const { units } = await apiCall<{ units: { id: string }[] }>(commander, 'GET', '/api/units')
      const rows = await apiCall<{ area: { id: string; slug: string } }[]>(
        commander,
        'GET',
        `/api/units/${units[0]!.id}/posters`,
      )
      const areaId = rows.find((r) => r.area.slug === AREA_SLUG)!.area.id
      const poster = await commander.request.get(`/api/areas/${areaId}/poster?format=svg`)
      expect(poster.status()).toBe(200)
      const photo = await resident.request.get(sent)
      expect(await poster.text()).toContain(
        `data:image/jpeg;base64,${(await photo.body()).toString('base64')}`,
      )
    })
  },
)
