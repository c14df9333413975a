import { expect, test } from '@playwright/test'
import { signInResident } from './support/api-sign-in'
import { closeOpenContexts, expectNoA11yViolations } from './support/browser'
import { signInStaffOnce } from './support/messaging'

test.afterEach(closeOpenContexts)

const QUESTION =
  'Cho em hỏi con em mới sinh, vợ chồng em đang ở trọ tạm trú ở phường mình thì có làm giấy khai sinh cho cháu ở đây được không ạ, hay phải về quê?'
const ANSWER =
  'Chào anh, anh chị đăng ký khai sinh cho cháu ngay tại UBND phường nơi đang tạm trú được, không cần về quê. Mang theo giấy chứng sinh và căn cước của bố mẹ; có thể nộp trực tuyến trên Cổng dịch vụ công.'

/**
 * Story S1: a resident asks their area officer whether their newborn's birth can be registered
 * where they live temporarily. The officer sees the question arrive in the inbox without reloading
 * and answers; the resident sees the answer without reloading, and the officer sees it was read.
 * While typing, the resident is shown the procedure the question is about (nothing for a question
 * no ward-police procedure covers).
 */
test(
  'a procedure question is asked, appears in the officer inbox live, and is answered live',
  { tag: '@desk' },
  async ({ browser }, testInfo) => {
    test.setTimeout(120_000)
    const officer = await (await browser.newContext()).newPage()
    const residentContext = await browser.newContext()
    const resident = await residentContext.newPage()
    await officer.goto('/')
    await resident.goto('/')
    await signInStaffOnce(officer, 'canbo1')
    // Each screen size asks as a different resident of Tổ dân phố số 1, so the runs share one server.
    const asker =
      testInfo.project.name === 'desk'
        ? { phone: '0987000001', name: 'Nguyễn Thị Lan' }
        : { phone: '0987000002', name: 'Trần Văn Bình' }
    await signInResident(resident, asker.phone)

    await test.step('the officer has the inbox open', async () => {
      await officer.goto('/staff/inbox')
      await expect(officer.getByRole('region', { name: 'Danh sách cuộc trò chuyện' })).toBeVisible()
    })

    await test.step('the resident sees their area officer and asks the question', async () => {
      await resident.goto('/ask')
      const card = resident.getByRole('region', { name: 'Cán bộ phụ trách khu vực của anh/chị' })
      await expect(card).toContainText('Thượng úy Lê Đức Chương')
      await expect(card.getByRole('link', { name: /0912 000 011/ })).toHaveAttribute(
        'href',
        'tel:+84912000011',
      )
      const box = resident.getByLabel('Nội dung tin nhắn')
      const suggestions = resident.getByRole('region', { name: 'Có thể anh/chị cần thủ tục này' })
      // Another agency's procedure: the search says none, and no card is suggested.
      const answeredNone = resident.waitForResponse(
        (r) => r.url().includes('/api/procedures/search') && decodeURIComponent(r.url()).includes('kết hôn'),
      )
      await box.fill('Hai đứa em muốn đăng ký kết hôn thì làm ở đâu ạ')
      expect((await (await answeredNone).json()).none).toBe(true)
      await expect(resident.getByTestId('procedure-suggestion')).toHaveCount(0)
      // The question itself: the birth registration is suggested, with why, before it is sent.
      await box.fill(QUESTION)
      const suggested = suggestions
        .getByTestId('procedure-suggestion')
        .filter({ hasText: 'Đăng ký khai sinh' })
      await expect(suggested).toBeVisible()
      await expect(suggested.getByRole('link')).toHaveAttribute('href', '/procedures/dang-ky-khai-sinh')
      await expectNoA11yViolations(resident)
      await resident.getByRole('button', { name: 'Gửi', exact: true }).click()
      const mine = resident.getByTestId('message').filter({ hasText: QUESTION })
      await expect(mine).toBeVisible()
      await expect(mine).toContainText('Đã gửi')
      // Sent: the box is empty and the suggestions go with it.
      await expect(suggestions).toHaveCount(0)
    })

    await test.step('the question appears in the officer inbox without reloading, and the officer answers', async () => {
      const item = officer.getByTestId('inbox-item').filter({ hasText: asker.name })
      await expect(item).toBeVisible({ timeout: 10_000 })
      await expect(item).toContainText('Cho em hỏi con em mới sinh')
      await item.click()
      await expect(officer.getByTestId('message').filter({ hasText: QUESTION })).toBeVisible()
      await officer.getByLabel('Nội dung tin nhắn').fill(ANSWER)
      await officer.getByRole('button', { name: 'Gửi', exact: true }).click()
      await expect(officer.getByTestId('message').filter({ hasText: ANSWER })).toBeVisible()
    })

    await test.step('the resident sees the answer without reloading; the officer sees it was read', async () => {
      const answer = resident.getByTestId('message').filter({ hasText: ANSWER })
      await expect(answer).toBeVisible({ timeout: 10_000 })
      await expect(answer).toContainText('Cán bộ')
      await expect(officer.getByTestId('message').filter({ hasText: ANSWER })).toContainText('Đã xem', {
        timeout: 10_000,
      })
      await expect(resident.getByTestId('message').filter({ hasText: QUESTION })).toContainText('Đã xem')
      await expectNoA11yViolations(resident)
      await expectNoA11yViolations(officer)
    })

    await test.step('a message written offline waits ("chờ gửi") and goes by itself when the network returns', async () => {
      await residentContext.setOffline(true)
      await resident.getByLabel('Nội dung tin nhắn').fill('Dạ em cảm ơn anh ạ.')
      await resident.getByRole('button', { name: 'Gửi', exact: true }).click()
      await expect(resident.getByTestId('outgoing').filter({ hasText: 'Dạ em cảm ơn anh ạ.' })).toContainText(
        'chờ gửi',
      )
      await residentContext.setOffline(false)
      await expect(resident.getByTestId('message').filter({ hasText: 'Dạ em cảm ơn anh ạ.' })).toBeVisible({
        timeout: 15_000,
      })
      await expect(officer.getByTestId('message').filter({ hasText: 'Dạ em cảm ơn anh ạ.' })).toHaveCount(1, {
        timeout: 15_000,
      })
    })
  },
)
