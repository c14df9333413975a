import { expect, type Page } from '@playwright/test'
import { authenticator } from 'otplib'
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from './api-sign-in'

/**
 * Staff sign-in through the API that tolerates another journey having just used this person's
 * authenticator code (a code is accepted once per 30 s): it waits for the next code and tries again.
 */
export async function signInStaffOnce(page: Page, username: string): Promise<void> {
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

/** A JSON call from the page's browser context, with its session cookie and CSRF token. */
export async function apiCall<T>(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  data?: unknown,
): Promise<T> {
  const cookies = await page.context().cookies()
  const csrf = cookies.find((c) => c.name === 'nhipcau_csrf')?.value ?? ''
  const res = await page.request.fetch(url, {
    method,
    headers: { 'x-csrf-token': decodeURIComponent(csrf) },
    ...(data === undefined ? {} : { data }),
  })
  expect(res.ok(), `${method} ${url}: ${await res.text()}`).toBe(true)
  return (await res.json()) as T
}
