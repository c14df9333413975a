import { randomUUID } from 'node:crypto'
import { expect, type Page, test } from '@playwright/test'
import { signInResident, signInStaff } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations, followStaffNav } from './support/browser'
import { apiCall } from './support/messaging'
import { expectNoSidewaysScroll, shot } from './support/screens'

test.afterEach(closeOpenContexts)

/**
 * Issue 19, point 2: canned replies are written, edited and shared per unit in the UI. An officer
 * writes one of their own (nobody else sees it); the commander writes one shared with the ward and
 * corrects it; another officer of the ward finds it in the composer's picker with the keyboard, sends
 * it filled with the resident's name, and the resident reads the answer. Each deletes theirs after a
 * confirmation. At 360×800, and at 1366×800 in the desk project.
 */
test(
  'an officer keeps a reply, the commander shares one, a colleague answers a resident with it',
  { tag: '@desk' },
  async ({ browser }, info) => {
    test.setTimeout(180_000)
    const desk = info.project.name === 'desk'
    const viewport = desk ? { width: 1366, height: 800 } : { width: 360, height: 800 }
    const screen = desk ? '1366x800' : '360x800'
    const open = async () => {
      const page = await (await browser.newContext({ viewport })).newPage()
      await page.goto('/')
      return page
    }
    const [officer, commander, colleague, resident] = await Promise.all([open(), open(), open(), open()])
    await signInStaff(officer, 'canbo2')
    await signInStaff(commander, 'chihuy')
    await signInStaff(colleague, 'canbo1')
    const asker = desk
      ? { phone: '0987000001', name: 'Nguyễn Thị Lan' }
      : { phone: '0987000002', name: 'Trần Văn Bình' }
    await signInResident(resident, asker.phone)
    const tag = randomUUID().slice(0, 6)
    const personalTitle = `Hẹn gặp tại nhà (${tag})`
    const sharedTitle = `Giờ tiếp dân (${tag})`

    await test.step('an officer writes a personal reply from the staff menu', async () => {
      await officer.goto('/staff')
      await followStaffNav(officer, 'Câu trả lời mẫu')
      await expect(officer.getByRole('heading', { level: 1, name: 'Câu trả lời mẫu' })).toBeVisible()
      await officer.getByRole('button', { name: 'Viết câu trả lời mẫu mới' }).click()
      // An empty form is refused in Vietnamese, beside the field.
      await officer.getByRole('button', { name: 'Lưu mẫu' }).click()
      await expect(officer.getByText('Anh/chị hãy đặt tên cho câu trả lời mẫu')).toBeVisible()
      await officer.getByLabel('Tên mẫu').fill(personalTitle)
      await officer
        .getByLabel('Nội dung')
        .fill('Chào {resident_name}, chiều nay tôi qua nhà anh/chị được không ạ?')
      // Sharing with the unit is the commanders' call: the officer is told so, no checkbox.
      await expect(officer.getByText('Muốn chia sẻ cho cả đơn vị')).toBeVisible()
      await officer.getByRole('button', { name: 'Lưu mẫu' }).click()
      await expect(officer.getByRole('status')).toContainText(`Đã lưu câu trả lời mẫu “${personalTitle}”`)
      await expect(card(officer, personalTitle)).toContainText('Cá nhân')
      await expectNoSidewaysScroll(officer)
      await expectNoA11yViolations(officer)
      await shot(officer, `canned-personal-${screen}`)
    })

    await test.step('the commander shares a reply with the ward, then corrects it', async () => {
      await commander.goto('/staff/canned-replies')
      await expect(card(commander, personalTitle)).toHaveCount(0)
      await commander.getByRole('button', { name: 'Viết câu trả lời mẫu mới' }).click()
      await commander.getByLabel('Tên mẫu').fill(sharedTitle)
      await commander.getByLabel('Nội dung').fill('Chào {resident_name}, công an phường tiếp dân từ 7h30.')
      await commander.getByLabel(/Chia sẻ cho mọi cán bộ của/).check()
      await commander.getByRole('button', { name: 'Lưu mẫu' }).click()
      const shared = card(commander, sharedTitle)
      await expect(shared).toContainText('Chia sẻ cho đơn vị')
      await commander.getByRole('button', { name: `Sửa mẫu ${sharedTitle}` }).click()
      await commander
        .getByLabel('Nội dung')
        .fill(
          'Chào {resident_name}, công an phường tiếp dân từ 7h30 đến 17h, thứ Hai đến thứ Sáu. {officer_name}',
        )
      await commander.getByRole('button', { name: 'Lưu thay đổi' }).click()
      await expect(shared).toContainText('thứ Hai đến thứ Sáu')
      await expectNoSidewaysScroll(commander)
      await expectNoA11yViolations(commander)
      await shot(commander, `canned-shared-${screen}`)
    })

    const question = `Công an phường mấy giờ tiếp dân ạ? (${tag})`
    await apiCall(resident, 'POST', '/api/ask/messages', { clientKey: `canned-${tag}`, body: question })

    await test.step('a colleague finds the shared reply in the picker and sends it with the keyboard', async () => {
      await colleague.goto('/staff/inbox')
      await colleague.getByTestId('inbox-item').filter({ hasText: tag }).click()
      await expect(colleague.getByTestId('message').filter({ hasText: tag })).toBeVisible()
      const picker = colleague.getByRole('button', { name: 'Chèn câu trả lời mẫu' })
      await picker.click()
      const search = colleague.getByLabel('Tìm mẫu theo tên hoặc nội dung')
      await expect(search).toBeFocused()
      // Without diacritics, as an officer types in a hurry.
      await search.fill(`gio tiep dan (${tag})`)
      const options = colleague.getByRole('list', { name: 'Danh sách câu trả lời mẫu' }).getByRole('button')
      await expect(options).toHaveCount(1)
      await expect(options.first()).toContainText('Chia sẻ cho đơn vị')
      await search.fill(tag)
      await expect(options.filter({ hasText: personalTitle })).toHaveCount(0)
      await expectNoSidewaysScroll(colleague)
      await expectNoA11yViolations(colleague)
      await shot(colleague, `canned-picker-${screen}`)
      await colleague.keyboard.press('ArrowDown')
      await expect(options.first()).toBeFocused()
      await colleague.keyboard.press('Enter')
      const composer = colleague.getByLabel('Nội dung tin nhắn')
      await expect(composer).toHaveValue(
        `Chào ${asker.name}, công an phường tiếp dân từ 7h30 đến 17h, thứ Hai đến thứ Sáu. Thượng úy Lê Đức Chương`,
      )
      await expect(composer).toBeFocused()
      await colleague.getByRole('button', { name: 'Gửi', exact: true }).click()
      await expect(
        colleague.getByTestId('message').filter({ hasText: 'thứ Hai đến thứ Sáu' }).last(),
      ).toBeVisible()
    })

    await test.step('the resident reads the answer', async () => {
      await resident.goto('/ask')
      await expect(
        resident
          .getByTestId('message')
          .filter({ hasText: `Chào ${asker.name}, công an phường tiếp dân` })
          .last(),
      ).toBeVisible()
    })

    await test.step('each deletes theirs after confirming', async () => {
      for (const [page, title] of [
        [officer, personalTitle],
        [commander, sharedTitle],
      ] as const) {
        await page.reload()
        page.once('dialog', (d) => void d.accept())
        await page.getByRole('button', { name: `Xoá mẫu ${title}` }).click()
        await expect(card(page, title)).toHaveCount(0)
      }
    })
  },
)

const card = (page: Page, title: string) =>
  page
    .getByRole('list', { name: 'Danh sách câu trả lời mẫu' })
    .getByRole('listitem')
    .filter({ hasText: title })
