import { expect, type Page } from '@playwright/test'
import { signInStaff } from './api-sign-in'

/** Kept for the journeys that import it from here: the same as signInStaff. */
export const signInStaffOnce = signInStaff

/** A JSON call from the page's browser context, with its session cookie and CSRF token. */
export async function apiCall<T>(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
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
