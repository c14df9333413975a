import { expect, type Page, test } from '@playwright/test'
import { esmsTime, FakeEsms, moQuery } from '../server/test/fakes/fake-esms'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

// scripts/e2e-server.mjs sends answers by SMS to eSMS at E2E_PORT + 6 with this account, and checks
// residents' SMS (the short-code MO link) with this CP id and private key.
const ESMS_PORT = Number(process.env.E2E_PORT ?? '3100') + 6
const esms = new FakeEsms({ apiKey: 'e2e-esms-key', secretKey: 'e2e-esms-secret', brandname: 'CONGAN' })
const MO = { cpid: 'e2e-cpid', privateKey: 'e2e-esms-mo-private-key' }
const SHOTS = process.env.SMS_SCREENSHOTS

// Trần Văn Bình (demo seed) lives in Tổ dân phố số 1, covered by canbo1; he has no smartphone.
const BINH = { sender: '84987000002', national: '0987000002', name: 'Trần Văn Bình' }
const QUESTION = 'Chao cong an, toi mat giay to xe thi lam lai o dau?'
const ANSWER = 'Chào bác, bác mang căn cước đến trụ sở công an phường lúc 8 giờ sáng thứ Hai để làm lại nhé.'
const THANKS = 'Cam on cong an, toi se den.'

test.beforeAll(async () => {
  await esms.start(ESMS_PORT)
})
test.afterAll(async () => {
  await esms.stop()
})

/** Screenshots to look at (SMS_SCREENSHOTS=dir): the phone and a desk screen. */
async function bothSizes(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}-412.png`, fullPage: true })
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({ path: `${SHOTS}/${name}-1440.png`, fullPage: true })
  await page.setViewportSize({ width: 412, height: 915 })
}

/** What eSMS does when a resident texts the unit's number: a signed GET to the MO link. */
async function residentTexts(page: Page, content: string) {
  const q = moQuery({
    ...MO,
    smsid: `mo-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    sender: BINH.sender,
    content,
    receiverTime: esmsTime(new Date()),
  })
  const res = await page.request.get(`/api/sms/esms/mo?${q}`)
  expect(res.status(), await res.text()).toBe(200)
}

/**
 * Issue 17, point 3: the commander gives the ward an SMS budget; a resident without a smartphone texts
 * the ward; the area officer answers by SMS seeing the cost and the budget left before sending; eSMS
 * receives exactly that one message for his number, and his SMS reply lands in the same conversation.
 */
test('an officer answers a resident by SMS within the budget, and his SMS reply lands in the conversation', async ({
  browser,
}) => {
  test.setTimeout(240_000)
  const commander = await (await browser.newContext()).newPage()
  const officer = await (await browser.newContext()).newPage()
  await commander.goto('/')
  await officer.goto('/')
  await signInStaffOnce(commander, 'chihuy')
  await signInStaffOnce(officer, 'canbo1')

  await test.step('the commander sets the ward a monthly SMS budget', async () => {
    const { units } = await apiCall<{ units: { id: string }[] }>(commander, 'GET', '/api/units')
    await commander.goto(`/staff/units/${units[0]!.id}`)
    await commander.getByRole('link', { name: 'SMS và ngân sách' }).click()
    await expect(commander.getByRole('heading', { name: 'SMS và ngân sách', level: 1 })).toBeVisible()
    await commander.getByLabel('Ngân sách SMS mỗi tháng (đồng)').fill('50000')
    await commander.getByRole('button', { name: 'Lưu cài đặt' }).click()
    await expect(commander.getByRole('status').filter({ hasText: 'Đã lưu.' })).toBeVisible()
    await expect(commander.getByTestId('sms-monthly')).toHaveText('50.000 đ')
  })

  await test.step('the resident texts the ward; it reaches the area officer marked SMS', async () => {
    await officer.goto('/staff/inbox')
    await residentTexts(officer, QUESTION)
    const item = officer.getByTestId('inbox-item').filter({ hasText: BINH.name })
    await expect(item).toBeVisible({ timeout: 15_000 })
    await item.click()
    await expect(officer.getByTestId('message').filter({ hasText: QUESTION })).toBeVisible()
  })

  await test.step('the officer sees what the answer costs and the budget left, then sends it once', async () => {
    await officer.getByRole('button', { name: 'Trả lời bằng SMS' }).click()
    const panel = officer.getByRole('region', { name: 'Trả lời bằng SMS' })
    await expect(panel).toContainText('0987•••002')
    await panel.getByLabel('Nội dung SMS').fill(ANSWER)
    // 96 characters with diacritics: UCS-2, two parts; without them one GSM-7 part.
    await expect(panel.getByTestId('sms-cost')).toHaveText('2 tin × 800 đ = 1.600 đ')
    await expect(panel.getByTestId('sms-budget')).toHaveText('50.000 đ trên 50.000 đ')
    await expectNoA11yViolations(officer)
    if (SHOTS) await bothSizes(officer, 'sms-reply')
    const send = panel.getByRole('button', { name: 'Gửi SMS (1.600 đ)' })
    await send.click()
    await expect(panel.getByRole('status')).toContainText('Đã gửi SMS: 2 tin, 1.600 đ')
    await expect(officer.getByTestId('message').filter({ hasText: ANSWER })).toHaveCount(1)
    await expect.poll(() => esms.accepted.length, { timeout: 15_000 }).toBe(1)
    expect(esms.accepted[0]).toMatchObject({
      Phone: BINH.national,
      Content: ANSWER,
      Brandname: 'CONGAN',
      IsUnicode: '1',
    })
    await expect(panel.getByTestId('sms-budget')).toHaveText('48.400 đ trên 50.000 đ')
  })

  await test.step("the resident's SMS reply lands live in the same conversation", async () => {
    await residentTexts(officer, THANKS)
    await expect(officer.getByTestId('message').filter({ hasText: THANKS })).toBeVisible({ timeout: 15_000 })
    expect(esms.accepted).toHaveLength(1)
  })

  await test.step("the commander's page shows what the month cost", async () => {
    await commander.reload()
    await expect(commander.getByTestId('sms-spent')).toHaveText('1.600 đ')
    await expect(commander.getByTestId('sms-sends')).toHaveText('1 tin')
    await expect(commander.getByRole('cell', { name: 'Trả lời người dân' })).toBeVisible()
    await expectNoA11yViolations(commander)
    if (SHOTS) await bothSizes(commander, 'sms-budget')
  })

  await test.step('a resident asks for alerts by SMS in her account', async () => {
    const resident = await (await browser.newContext()).newPage()
    await resident.goto('/')
    await signInResident(resident, '0987000003')
    await resident.goto('/me')
    const box = resident.getByLabel('Nhận cảnh báo bằng SMS')
    await expect(box).not.toBeChecked()
    await box.check()
    await resident.getByRole('button', { name: 'Lưu', exact: true }).click()
    await expect(resident.getByRole('status').filter({ hasText: 'Đã lưu.' })).toBeVisible()
    await resident.reload()
    await expect(resident.getByLabel('Nhận cảnh báo bằng SMS')).toBeChecked()
    if (SHOTS) await bothSizes(resident, 'sms-optin')
  })
})
