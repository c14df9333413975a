import { randomUUID } from 'node:crypto'
import { expect, type Page, test } from '@playwright/test'
import { signInResident, signInStaff } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { apiCall } from './support/messaging'
import { expectNoSidewaysScroll, SCREENS, shot } from './support/screens'

test.afterEach(closeOpenContexts)

/**
 * Issue 19, point 2: tips and residents' questions in groups arrive in the officer's live inbox
 * with their kind shown. A resident asks the police in a group; the officer, with the inbox open,
 * sees "Câu hỏi trong nhóm" arrive without reloading and answers it from the inbox, in the group,
 * where the resident sees the answer live. A tip sent meanwhile arrives as "Tin báo".
 */
for (const screen of SCREENS) {
  test.describe(`inbox kinds at ${screen.name}`, () => {
    test.use({ viewport: screen.viewport })

    test('a group question and a tip arrive live in the inbox; the officer answers in the group', async ({
      browser,
    }) => {
      test.setTimeout(120_000)
      const resident = await (await browser.newContext({ viewport: screen.viewport })).newPage()
      const officer = await (await browser.newContext({ viewport: screen.viewport })).newPage()
      await resident.goto('/')
      await officer.goto('/')
      const phone = screen.phone ? '0987000002' : '0987000001'
      await signInResident(resident, phone)
      await signInStaff(officer, 'canbo1')
      const tag = randomUUID().slice(0, 6)
      const question = `Nhà ống 4 tầng thì đặt bình chữa cháy mini ở tầng mấy ạ? (${tag})`
      const groupId = await groupOfArea1(officer, resident, tag)

      await officer.goto('/staff/inbox')
      await expect(officer.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })).toBeVisible()

      await test.step('the resident asks the police in the group', async () => {
        await resident.goto(`/groups/${groupId}`)
        await resident.getByLabel('Hỏi công an khu vực (cán bộ sẽ trả lời trong nhóm)').check()
        await resident.getByLabel('Nội dung tin nhắn').fill(question)
        await resident.getByRole('button', { name: 'Gửi', exact: true }).click()
        await expect(resident.getByTestId('message').filter({ hasText: question })).toBeVisible()
        await expectNoSidewaysScroll(resident)
      })

      const work = officer.getByTestId('inbox-work-item')
      const asked = work.filter({ hasText: question })
      await test.step('it arrives in the open inbox as a group question, without reloading', async () => {
        await expect(asked).toBeVisible({ timeout: 10_000 })
        await expect(asked).toContainText('Câu hỏi trong nhóm')
        await expect(asked).toContainText(`Cư dân tổ 1 (${tag})`)
      })

      const tip = `Xe máy lạ dựng trước cửa nhà số 7 từ hôm qua (${tag})`
      await test.step('a tip sent now arrives too, as a tip', async () => {
        await sendTip(resident, tip)
        const item = work.filter({ hasText: tip })
        await expect(item).toBeVisible({ timeout: 10_000 })
        await expect(item).toContainText('Tin báo')
        await expect(item).toHaveAttribute('href', /\/staff\/tips\/[0-9a-f-]+$/)
        await expectNoSidewaysScroll(officer)
        await expectNoA11yViolations(officer)
        await shot(officer, `inbox-kinds-${screen.name}`)
      })

      const answer = `Chào anh chị, nên đặt ở tầng 1 gần lối ra (${tag}).`
      await test.step('the officer answers from the inbox; the resident sees it in the group, live', async () => {
        await asked.getByRole('button', { name: 'Trả lời' }).click()
        await asked.getByRole('textbox').fill(answer)
        await asked.getByRole('button', { name: 'Gửi trong nhóm' }).click()
        await expect(asked).toHaveCount(0)
        await expect(resident.getByTestId('message').filter({ hasText: answer })).toBeVisible()
        await shot(resident, `inbox-kinds-group-answered-${screen.name}`)
      })
    })
  })
}

/** A residential group of Tổ dân phố số 1 (canbo1's area) that the resident has joined. */
async function groupOfArea1(officer: Page, resident: Page, tag: string): Promise<string> {
  const units = await apiCall<{ id: string; name: string }[]>(officer, 'GET', '/api/groups/units')
  const area = units.find((u) => u.name === 'Tổ dân phố số 1')!
  const group = await apiCall<{ id: string }>(officer, 'POST', '/api/groups', {
    kind: 'residential_area',
    unitId: area.id,
    name: `Cư dân tổ 1 (${tag})`,
    joinPolicy: 'open',
  })
  const invite = await apiCall<{ code: string }>(officer, 'GET', `/api/groups/${group.id}/invite`)
  await apiCall(resident, 'POST', '/api/groups/join', { code: invite.code })
  return group.id
}

/** A signed-in resident's tip about their own area, as the tip form sends it. */
async function sendTip(resident: Page, description: string) {
  const session = await apiCall<{ user: { areaId: string } }>(resident, 'GET', '/api/auth/session')
  const cookies = await resident.context().cookies()
  const csrf = decodeURIComponent(cookies.find((c) => c.name === 'nhipcau_csrf')?.value ?? '')
  const res = await resident.request.post('/api/tips', {
    headers: { 'x-csrf-token': csrf, 'idempotency-key': randomUUID().replaceAll('-', '') },
    multipart: {
      category: 'suspicious_vehicle',
      description,
      areaId: session.user.areaId,
      locationSource: 'area',
    },
  })
  expect(res.status(), await res.text()).toBe(201)
}
