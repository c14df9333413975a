import { randomUUID } from 'node:crypto'
import { expect, type Page, test } from '@playwright/test'
import { signInResident, signInStaff } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { apiCall } from './support/messaging'
import { expectNoSidewaysScroll, SCREENS, shot } from './support/screens'

test.afterEach(closeOpenContexts)

/**
 * Issue 19, point 2: the officer console works on a phone and at a desk. On a phone the queue, a
 * conversation and its context are three screens with a way back from each; at a desk the
 * conversation is the widest column and the context panel folds away. The first message is in
 * view without scrolling, and the officer can sign out of the console.
 */
for (const screen of SCREENS) {
  test.describe(`officer console at ${screen.name}`, () => {
    test.use({ viewport: screen.viewport })

    test('queue, conversation and context fit the screen, and the officer signs out', async ({ browser }) => {
      test.setTimeout(120_000)
      const resident = await (await browser.newContext()).newPage()
      const officer = await (await browser.newContext({ viewport: screen.viewport })).newPage()
      await resident.goto('/')
      await officer.goto('/')
      // Each screen size asks as a different resident of canbo1's area, so the runs share one server.
      const asker = screen.phone
        ? { phone: '0987000002', name: 'Trần Văn Bình' }
        : { phone: '0987000001', name: 'Nguyễn Thị Lan' }
      await signInResident(resident, asker.phone)
      await signInStaff(officer, 'canbo1')
      const tag = randomUUID().slice(0, 6)
      const question = `Cho em hỏi làm lại căn cước bị mất thì cần mang gì ạ? (${tag})`
      await apiCall(resident, 'POST', '/api/ask/messages', { clientKey: `console-${tag}`, body: question })

      await officer.goto('/staff/inbox')
      const queue = officer.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })
      const item = queue.getByTestId('inbox-item').filter({ hasText: tag })
      await expect(item).toBeVisible()
      await expectNoSidewaysScroll(officer)
      await shot(officer, `console-queue-${screen.name}`)
      await item.click()
      const message = officer.getByTestId('message').filter({ hasText: tag })
      await expect(message).toBeInViewport()
      const composer = officer.getByLabel('Nội dung tin nhắn')
      await expect(composer).toBeInViewport()
      await expectNoSidewaysScroll(officer)
      await expectNoA11yViolations(officer)
      await shot(officer, `console-thread-${screen.name}`)

      if (screen.phone) {
        await test.step('phone: conversation, then context, then back to the queue', async () => {
          await expect(queue).toBeHidden()
          await officer.getByRole('link', { name: 'Thông tin, trả lời mẫu' }).click()
          await expect(officer).toHaveURL(/\/staff\/inbox\/[0-9a-f-]+\/context$/)
          await expect(officer.getByRole('complementary', { name: 'Thông tin cư dân' })).toBeInViewport()
          await expect(message).toBeHidden()
          await expectNoSidewaysScroll(officer)
          await shot(officer, `console-context-${screen.name}`)
          await officer.getByRole('link', { name: 'Về cuộc trò chuyện' }).click()
          await expect(message).toBeInViewport()
          await officer.getByRole('link', { name: 'Về danh sách' }).click()
          await expect(item).toBeVisible()
          await expect(message).toBeHidden()
        })
      } else {
        await test.step('desk: the conversation is the widest column; the context folds away', async () => {
          const width = async (selector: string) =>
            (await officer.locator(selector).boundingBox())?.width ?? 0
          const thread = await width('.inbox__thread')
          expect(thread).toBeGreaterThan(await width('.inbox__queue'))
          expect(thread).toBeGreaterThan(await width('.inbox__side'))
          const context = officer.getByRole('complementary', { name: 'Thông tin cư dân' })
          await officer.getByRole('button', { name: 'Ẩn cột thông tin' }).click()
          await expect(context).toBeHidden()
          expect(await width('.inbox__thread')).toBeGreaterThan(thread + 150)
          await shot(officer, `console-thread-collapsed-${screen.name}`)
          // Remembered on this device.
          await officer.reload()
          await expect(message).toBeInViewport()
          await expect(context).toBeHidden()
          await officer.getByRole('button', { name: 'Hiện cột thông tin' }).click()
          await expect(context).toBeVisible()
        })
      }

      await test.step('the officer signs out from the console', async () => {
        await signOut(officer, screen.phone)
        await expect(officer).toHaveURL(/\/staff\/sign-in$/)
        const session = await officer.request.get('/api/auth/session')
        expect(((await session.json()) as { user: unknown }).user).toBeNull()
      })
    })
  })
}

async function signOut(page: Page, phone: boolean) {
  if (phone) await page.getByRole('button', { name: 'Menu' }).click()
  await page.getByRole('button', { name: 'Đăng xuất' }).click()
}
