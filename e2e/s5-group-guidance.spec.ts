import { expect, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { apiCall, signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

const ADVICE =
  'Khuyến cáo phòng cháy: không sạc xe máy điện qua đêm trong nhà, để bình chữa cháy ở lối ra vào, kiểm tra ổ cắm và dây điện cũ.'
const FOLLOW_UP = 'Cho em hỏi nhà ống không có lối thoát phụ thì nên làm thế nào ạ?'
const OFF_TOPIC = 'Bán đất nền giá rẻ, liên hệ ngay 0909 xxx xxx'

interface Group {
  id: string
  conversationId: string
}

/**
 * Story S5: an officer posts fire-safety advice to a residential-area group; a resident asks a
 * follow-up question in the group; the group's moderator (the residential group leader) hides an
 * off-topic message with a reason. Everyone sees each step without reloading.
 */
test('fire-safety guidance in a group, a follow-up question, and an off-topic message hidden', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const officer = await (await browser.newContext()).newPage()
  const resident = await (await browser.newContext()).newPage()
  const leader = await (await browser.newContext()).newPage()
  const seller = await (await browser.newContext()).newPage()
  for (const p of [officer, resident, leader, seller]) await p.goto('/')
  await signInStaffOnce(officer, 'canbo2')
  await signInResident(resident, '0987000004')
  await signInResident(leader, '0987000003')
  await signInResident(seller, '0987000001')

  const units = await apiCall<{ id: string; name: string }[]>(officer, 'GET', '/api/groups/units')
  const area = units.find((u) => u.name === 'Tổ dân phố số 3')!
  const group = await apiCall<Group>(officer, 'POST', '/api/groups', {
    kind: 'residential_area',
    unitId: area.id,
    name: 'Cư dân Tổ dân phố số 3',
    description: 'Nhóm trao đổi về an ninh trật tự, phòng cháy chữa cháy của tổ dân phố.',
    joinPolicy: 'open',
  })
  const invite = await apiCall<{ code: string }>(officer, 'GET', `/api/groups/${group.id}/invite`)

  await test.step('residents join through the invite link', async () => {
    for (const p of [resident, leader, seller]) {
      await p.goto(`/groups/join/${invite.code}`)
      await expect(p.getByText('Cư dân Tổ dân phố số 3')).toBeVisible()
      await p.getByRole('button', { name: 'Tham gia nhóm' }).click()
      await expect(p.getByRole('heading', { level: 1, name: 'Cư dân Tổ dân phố số 3' })).toBeVisible()
    }
  })

  await test.step('the officer makes the residential group leader a moderator', async () => {
    await officer.goto(`/groups/${group.id}`)
    const moderation = officer.getByRole('complementary', { name: 'Quản lý nhóm' })
    const row = moderation.getByRole('listitem').filter({ hasText: 'Hoàng Thị Tám' })
    await row.getByRole('button', { name: 'Cho làm người điều hành' }).click()
    await expect(row).toContainText('Người điều hành')
  })

  await test.step('the officer posts fire-safety advice; the resident sees it without reloading', async () => {
    await officer.getByLabel('Nội dung tin nhắn').fill(ADVICE)
    await officer.getByRole('button', { name: 'Gửi', exact: true }).click()
    await expect(officer.getByTestId('message').filter({ hasText: ADVICE })).toBeVisible()
    const advice = resident.getByTestId('message').filter({ hasText: ADVICE })
    await expect(advice).toBeVisible({ timeout: 10_000 })
    await expect(advice).toContainText('Cán bộ')
  })

  await test.step('the resident asks a follow-up, replying to the advice; the officer sees it live', async () => {
    await resident.getByTestId('message').filter({ hasText: ADVICE }).getByLabel('Tuỳ chọn tin nhắn').click()
    await resident.getByRole('button', { name: 'Trả lời', exact: true }).click()
    await expect(resident.getByText('Đang trả lời')).toBeVisible()
    await resident.getByLabel('Nội dung tin nhắn').fill(FOLLOW_UP)
    await resident.getByRole('button', { name: 'Gửi', exact: true }).click()
    const followUp = officer.getByTestId('message').filter({ hasText: FOLLOW_UP })
    await expect(followUp).toBeVisible({ timeout: 10_000 })
    await expect(followUp).toContainText('Khuyến cáo phòng cháy')
  })

  await test.step('an off-topic message arrives and the moderator hides it with a reason', async () => {
    await leader.reload()
    await seller.goto(`/groups/${group.id}`)
    await seller.getByLabel('Nội dung tin nhắn').fill(OFF_TOPIC)
    await seller.getByRole('button', { name: 'Gửi', exact: true }).click()
    const spam = leader.getByTestId('message').filter({ hasText: OFF_TOPIC })
    await expect(spam).toBeVisible({ timeout: 10_000 })
    await spam.getByLabel('Tuỳ chọn tin nhắn').click()
    await spam.getByRole('button', { name: 'Ẩn tin nhắn' }).click()
    const form = leader.getByRole('form', { name: 'Lý do ẩn tin nhắn (được lưu lại)' })
    await form.getByLabel('Lý do ẩn tin nhắn (được lưu lại)').fill('Quảng cáo, không đúng chủ đề của nhóm')
    await form.getByRole('button', { name: 'Ẩn tin nhắn' }).click()
    await expect(
      leader.getByText('Đã ẩn với thành viên. Lý do: Quảng cáo, không đúng chủ đề của nhóm'),
    ).toBeVisible()
  })

  await test.step('members see the message hidden, with the reason, without reloading', async () => {
    await expect(resident.getByText(OFF_TOPIC)).toHaveCount(0, { timeout: 10_000 })
    await expect(
      resident.getByText('Tin nhắn đã bị ẩn. Lý do: Quảng cáo, không đúng chủ đề của nhóm'),
    ).toBeVisible()
    await expect(resident.getByTestId('message').filter({ hasText: FOLLOW_UP })).toBeVisible()
    await expectNoA11yViolations(resident)
    await expectNoA11yViolations(leader)
  })
})
