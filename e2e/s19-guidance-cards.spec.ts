import { expect, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations, expectNoSideScroll } from './support/browser'
import { motorbikePhoto } from './support/media-fixtures'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

const TITLE = 'Phòng cháy khi sạc xe máy điện'
const TEXT =
  '1. Không sạc xe qua đêm trong nhà.\n2. Để bình chữa cháy ở lối ra vào.\n3. Kiểm tra ổ cắm và dây điện cũ.'
const LINK = 'https://canhsatpccc.gov.vn/huong-dan-sac-xe-dien'
const ANSWER = 'Nhà ống không có lối thoát phụ thì nên làm thế nào ạ?'

/**
 * Issue 19, point 3: guidance to a group is a real card (title, text with its line breaks, photo,
 * a link to tap), not a small system line. An officer posts one with a photo and a link; a resident
 * sees it live, answers it in the group, and the officer sees the answer quoting the card.
 * At 360×800, and at 1366×800 in the desk project.
 */
test(
  'an officer posts a guidance card to a group; a resident sees it live and answers it',
  { tag: '@desk' },
  async ({ browser }, info) => {
    test.setTimeout(120_000)
    const viewport = info.project.name === 'desk' ? { width: 1366, height: 800 } : { width: 360, height: 800 }
    const officer = await (await browser.newContext({ viewport })).newPage()
    const resident = await (await browser.newContext({ viewport })).newPage()
    await officer.goto('/')
    await resident.goto('/')
    await signInStaffOnce(officer, 'canbo2')
    await signInResident(resident, '0987000004')

    // A name of this run: a server kept between runs has the groups of earlier ones.
    const groupName = `Cư dân Tổ 3 hướng dẫn ${Date.now().toString(36).slice(-4)}`
    const units = await apiCall<{ id: string; name: string }[]>(officer, 'GET', '/api/groups/units')
    const area = units.find((u) => u.name === 'Tổ dân phố số 3')!
    const group = await apiCall<{ id: string }>(officer, 'POST', '/api/groups', {
      kind: 'residential_area',
      unitId: area.id,
      name: groupName,
      joinPolicy: 'open',
    })
    const invite = await apiCall<{ code: string }>(officer, 'GET', `/api/groups/${group.id}/invite`)
    await apiCall(resident, 'POST', '/api/groups/join', { code: invite.code })
    await officer.goto(`/groups/${group.id}`)
    await resident.goto(`/groups/${group.id}`)
    await expect(resident.getByRole('heading', { level: 1, name: groupName })).toBeVisible()

    await test.step('a resident has no way to post a card', async () => {
      await expect(resident.getByText('Đăng bài hướng dẫn')).toHaveCount(0)
    })

    await test.step('the officer posts a card with a photo and a link', async () => {
      await officer.getByText('Đăng bài hướng dẫn', { exact: true }).click()
      const form = officer.getByRole('form', { name: 'Đăng bài hướng dẫn' })
      await form.getByLabel('Tiêu đề').fill(TITLE)
      await form.getByLabel('Nội dung').fill(TEXT)
      await form.getByLabel('Ảnh minh họa (không bắt buộc)').setInputFiles(await motorbikePhoto())
      await form.getByLabel('Liên kết (không bắt buộc)').fill('javascript:alert(1)')
      await form.getByRole('button', { name: 'Đăng lên nhóm' }).click()
      await expect(
        form.getByText('Liên kết phải là một địa chỉ web bắt đầu bằng http:// hoặc https://.'),
      ).toBeVisible()
      await expect(officer.getByRole('article', { name: TITLE })).toHaveCount(0)
      await form.getByLabel('Liên kết (không bắt buộc)').fill(LINK)
      await form.getByRole('button', { name: 'Đăng lên nhóm' }).click()
      await expect(
        officer.getByRole('status').filter({ hasText: 'Đã đăng bài hướng dẫn lên nhóm.' }),
      ).toBeVisible()
      await expect(officer.getByRole('article', { name: TITLE })).toBeVisible()
    })

    const card = resident.getByRole('article', { name: TITLE })
    await test.step('the resident sees the card live: heading, text with its lines, photo, a link to tap', async () => {
      await expect(card).toBeVisible({ timeout: 10_000 })
      await expect(card.getByRole('heading', { name: TITLE })).toBeVisible()
      await expect(card).toContainText('Hướng dẫn từ')
      await expect(card).toContainText('Cán bộ')
      const text = card.getByText('1. Không sạc xe qua đêm trong nhà.', { exact: false })
      // Line breaks kept: three lines, not one run-on sentence.
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text as laid out, line breaks included
      expect(await text.evaluate((el) => (el as HTMLElement).innerText.split('\n').length)).toBe(3)
      const photo = card.getByRole('img', { name: `Ảnh minh họa: ${TITLE}` })
      await expect(photo).toBeVisible()
      expect(await photo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
      const link = card.getByRole('link', { name: /Mở liên kết/ })
      await expect(link).toHaveAttribute('href', LINK)
      await expect(link).toContainText('canhsatpccc.gov.vn')
      await expect(resident.locator('.msg--system')).toHaveCount(0)
      await expectNoSideScroll(resident)
      await expectNoA11yViolations(resident)
      await resident.screenshot({
        path: `test-results/s19-guidance-card-${viewport.width}.png`,
        fullPage: true,
      })
    })

    await test.step('the resident answers the card in the group; the officer sees the answer live', async () => {
      await card.getByRole('button', { name: 'Trả lời trong nhóm' }).click()
      await expect(resident.getByText('Đang trả lời')).toBeVisible()
      await expect(resident.getByLabel('Nội dung tin nhắn')).toBeFocused()
      await resident.getByLabel('Nội dung tin nhắn').fill(ANSWER)
      await resident.getByRole('button', { name: 'Gửi', exact: true }).click()
      const answer = officer.getByTestId('message').filter({ hasText: ANSWER })
      await expect(answer).toBeVisible({ timeout: 10_000 })
      // The answer quotes the card it answers, by its title.
      await expect(answer.locator('blockquote')).toContainText(TITLE)
      await expectNoSideScroll(officer)
      await expectNoA11yViolations(officer)
    })
  },
)
