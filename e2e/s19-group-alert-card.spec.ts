import { expect, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations, expectNoSideScroll } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

// A scam wave's warning with what these warnings really carry: a fake site's address and an account
// number, long unbroken words that must wrap inside the card at 360 px in large text.
const FAKE_SITE = 'dichvucong-xacminh-taikhoan-nganhang.com.vn/dang-nhap'
const DESCRIPTION = `Nhiều người dân nhận cuộc gọi tự xưng công an phường, yêu cầu vào trang ${FAKE_SITE} để "xác minh định danh".
Không chuyển tiền vào tài khoản 0123456789012345678 hay bất kỳ tài khoản nào theo yêu cầu qua điện thoại.`

/**
 * Issue 19, point 3: an alert posted into a residential group is a card a resident can read — its
 * kind, headline, what it says with its line breaks, where it was sent, when, and a button to the
 * alert's page — not a small system line with a raw link. A resident reading the group in large text
 * on a 360 px phone sees it arrive without reloading and opens the alert from it.
 */
test('an alert posted into a group is a card a resident reads in large text and opens', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const viewport = { width: 360, height: 800 }
  const commander = await (await browser.newContext({ viewport })).newPage()
  const resident = await (await browser.newContext({ viewport })).newPage()
  await commander.goto('/')
  await resident.goto('/')
  await signInStaffOnce(commander, 'chihuy')
  await signInResident(resident, '0987000004')

  // Names of this run: a server kept between runs has the groups and alerts of earlier ones.
  const run = Date.now().toString(36).slice(-5)
  const groupName = `Cư dân Tổ 1 cảnh báo ${run}`
  const headline = `Cảnh báo giả danh công an yêu cầu chuyển tiền (${run})`
  const units = await apiCall<{ id: string; name: string }[]>(commander, 'GET', '/api/groups/units')
  const area = units.find((u) => u.name === 'Tổ dân phố số 1')!
  const group = await apiCall<{ id: string }>(commander, 'POST', '/api/groups', {
    kind: 'residential_area',
    unitId: area.id,
    name: groupName,
    joinPolicy: 'open',
  })
  const invite = await apiCall<{ code: string }>(commander, 'GET', `/api/groups/${group.id}/invite`)
  await apiCall(resident, 'POST', '/api/groups/join', { code: invite.code })

  await test.step('the resident reads the group in large text', async () => {
    await resident.goto(`/groups/${group.id}`)
    await expect(resident.getByRole('heading', { level: 1, name: groupName })).toBeVisible()
    const toggle = resident.getByRole('button', { name: 'Chữ lớn' })
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click()
    await expect(toggle).toHaveAttribute('aria-pressed', 'true')
  })

  let alertId = ''
  await test.step('the commander warns the area; the card arrives in the group without reloading', async () => {
    const draft = await apiCall<{ id: string }>(commander, 'POST', '/api/alerts', {
      kind: 'scam_warning',
      headline,
      description: DESCRIPTION,
      scope: { kind: 'areas', unitIds: [area.id] },
    })
    const sent = await apiCall<{ id: string; state: string }>(
      commander,
      'POST',
      `/api/alerts/${draft.id}/submit`,
    )
    expect(sent.state).toBe('active')
    alertId = sent.id

    const card = resident.getByRole('article', { name: headline })
    await expect(card).toBeVisible({ timeout: 15_000 })
    await expect(card.getByRole('heading', { level: 2, name: headline })).toBeVisible()
    await expect(card).toContainText('Cảnh báo lừa đảo')
    await expect(card).toContainText(FAKE_SITE)
    await expect(card).toContainText('Không chuyển tiền vào tài khoản 0123456789012345678')
    await expect(card).toContainText('Gửi đến: Tổ dân phố số 1')
    await expect(card.locator('time')).toHaveText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/)
    // The share link is the button's job: no raw address in the text a resident reads.
    await expect(card).not.toContainText('/share')
    // Its text keeps its line breaks: the second sentence starts a line of its own.
    // innerText, not textContent: what the reader sees, with the line breaks the card's CSS keeps.
    const lines = (await card.locator('.group-alert__text').innerText()).split('\n')
    expect(lines.some((l) => l.startsWith('Không chuyển tiền'))).toBe(true)
  })

  await test.step('the card fits the 360 px phone in large text and is accessible', async () => {
    await expectNoSideScroll(resident)
    const card = resident.getByRole('article', { name: headline })
    const box = await card.boundingBox()
    expect(box!.x + box!.width).toBeLessThanOrEqual(360)
    await resident.screenshot({
      path: test.info().outputPath('group-alert-card-large-360.png'),
      fullPage: true,
    })
    await expectNoA11yViolations(resident)
  })

  await test.step('the resident opens the alert from the card', async () => {
    const card = resident.getByRole('article', { name: headline })
    await card.getByRole('link', { name: 'Xem cảnh báo và trả lời' }).click()
    await expect(resident).toHaveURL(new RegExp(`/alerts/${alertId}$`))
    await expect(resident.getByRole('heading', { level: 1, name: headline })).toBeVisible()
  })
})
