import { expect, type Page } from '@playwright/test'
import { authenticator } from 'otplib'

/** The demo seed's staff password and authenticator secret (server/seed/demo-seed.ts). */
export const DEMO_PASSWORD = 'nhipcau-demo-2026'
export const DEMO_TOTP_SECRET = 'NHIPCAUDEMOTOTPKHONGDUNGTHATZZZZ'

/**
 * Signs staff in through the API (password, then an authenticator code), in the page's browser
 * context so the session cookie is the page's. The server accepts a code once per person, so when
 * another journey just used this person's code the sign-in waits for the next 30-second window.
 */
export async function signInStaff(page: Page, username: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const first = await page.request.post('/api/auth/staff/sign-in', {
      data: { username, password: DEMO_PASSWORD },
    })
    expect(first.status(), await first.text()).toBe(200)
    const { challenge } = (await first.json()) as { challenge: string }
    const second = await page.request.post('/api/auth/staff/totp', {
      data: { challenge, code: authenticator.generate(DEMO_TOTP_SECRET) },
    })
    if (second.status() === 200) return
    await page.waitForTimeout(authenticator.timeRemaining() * 1000 + 500)
  }
  throw new Error(`could not sign ${username} in`)
}

/** Signs a resident in with a one-time code read from the development SMS outbox. */
export async function signInResident(page: Page, phone: string): Promise<void> {
  const asked = await page.request.post('/api/auth/otp/request', { data: { phone } })
  expect(asked.status(), await asked.text()).toBe(202)
  const last = await page.request.get(`/api/dev/last-otp?phone=${encodeURIComponent(phone)}`)
  expect(last.status(), await last.text()).toBe(200)
  const { code } = (await last.json()) as { code: string }
  const verified = await page.request.post('/api/auth/otp/verify', { data: { phone, code } })
  expect(verified.status(), await verified.text()).toBe(200)
}
