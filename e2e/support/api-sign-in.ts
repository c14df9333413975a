import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { type Cookie, expect, type Page } from '@playwright/test'
import { authenticator } from 'otplib'

/** The demo seed's staff password and authenticator secret (server/seed/demo-seed.ts). */
export const DEMO_PASSWORD = 'nhipcau-demo-2026'
export const DEMO_TOTP_SECRET = 'NHIPCAUDEMOTOTPKHONGDUNGTHATZZZZ'

/** The server the journeys run against (as in playwright.config.ts). */
const ORIGIN = new URL(process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`)
  .origin

type SavedSession = { userId: string; cookies: Cookie[] }

/**
 * Sessions already opened in this run, by username or phone (journeys run one at a time). They
 * are kept in a file named by playwright.config.ts, not in memory: after a failed journey
 * Playwright starts a fresh worker, and a worker that forgot them would ask for new codes, so one
 * failure became a cascade of 429s (3 codes per number in 15 minutes) and refused TOTP replays.
 */
const sessions = {
  file: process.env.E2E_SESSIONS_FILE,
  all(): Record<string, SavedSession> {
    if (!this.file || !existsSync(this.file)) return {}
    return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, SavedSession>
  },
  get(who: string): SavedSession | undefined {
    return this.all()[who]
  },
  set(who: string, saved: SavedSession): void {
    this.save({ ...this.all(), [who]: saved })
  },
  delete(who: string): void {
    const { [who]: _gone, ...rest } = this.all()
    this.save(rest)
  },
  save(all: Record<string, SavedSession>): void {
    if (!this.file) throw new Error('E2E_SESSIONS_FILE is not set (playwright.config.ts names it)')
    writeFileSync(this.file, JSON.stringify(all))
  },
}

/**
 * Signs staff in, in the page's browser context so the session cookie is the page's. A person
 * signed in by an earlier journey gets that session again (checked with the server), as a browser
 * that stayed signed in would. Otherwise: password, then an authenticator code. The server accepts
 * each 30-second code once per person and one step of clock drift either way, so when this step's
 * code was just used, the next step's code is the legitimate one to give; no journey waits for the clock.
 */
export async function signInStaff(page: Page, username: string): Promise<void> {
  if (await resumeSession(page, username)) return
  for (const offsetSteps of [0, 1]) {
    const first = await page.request.post('/api/auth/staff/sign-in', {
      data: { username, password: DEMO_PASSWORD },
    })
    expect(first.status(), await first.text()).toBe(200)
    const { challenge } = (await first.json()) as { challenge: string }
    const code = authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(DEMO_TOTP_SECRET)
    const second = await page.request.post('/api/auth/staff/totp', { data: { challenge, code } })
    if (second.status() === 200) {
      const { user } = (await second.json()) as { user: { id: string } }
      sessions.set(username, { userId: user.id, cookies: await page.context().cookies(ORIGIN) })
      return
    }
  }
  throw new Error(`could not sign ${username} in: this step's and the next step's codes were both refused`)
}

/** True when the person's earlier session in this run is still live; it is then the page's. */
async function resumeSession(page: Page, who: string): Promise<boolean> {
  const saved = sessions.get(who)
  if (!saved) return false
  await page.context().addCookies(saved.cookies)
  const me = await page.request.get('/api/auth/session')
  if (me.ok() && ((await me.json()) as { user: { id: string } | null }).user?.id === saved.userId) return true
  // Signed out since (a journey may sign out): its stale cookies must not go with the next sign-in.
  sessions.delete(who)
  await page.context().clearCookies()
  return false
}

/**
 * Signs a resident in with a one-time code read from the development SMS outbox. A resident
 * signed in by an earlier journey keeps that session, as their phone would: the server sends at
 * most 3 codes per number in 15 minutes, and the journeys share the demo residents.
 */
export async function signInResident(page: Page, phone: string): Promise<void> {
  if (await resumeSession(page, phone)) return
  const asked = await page.request.post('/api/auth/otp/request', { data: { phone } })
  expect(asked.status(), await asked.text()).toBe(202)
  const last = await page.request.get(`/api/dev/last-otp?phone=${encodeURIComponent(phone)}`)
  expect(last.status(), await last.text()).toBe(200)
  const { code } = (await last.json()) as { code: string }
  const verified = await page.request.post('/api/auth/otp/verify', { data: { phone, code } })
  expect(verified.status(), await verified.text()).toBe(200)
  const { user } = (await verified.json()) as { user: { id: string } }
  sessions.set(phone, { userId: user.id, cookies: await page.context().cookies(ORIGIN) })
}
