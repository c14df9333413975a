import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'

// Debian's Chromium; browsers are never downloaded on these machines (docs: tech-notes §5).
const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}

const port = process.env.E2E_PORT ?? '3100'
const baseURL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`

// Sessions the journeys open, shared by every worker of this run (e2e/support/api-sign-in.ts).
// The runner loads this file first and its workers inherit the variable, so they share one file.
if (!process.env.E2E_SESSIONS_FILE) {
  const file = join(tmpdir(), `nhipcau-e2e-sessions-${port}-${process.pid}.json`)
  process.env.E2E_SESSIONS_FILE = file
  process.on('exit', () => rmSync(file, { force: true }))
}

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  retries: 0,
  // A stray test.only must not make CI run one journey and call it green.
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  // Journeys check what a user sees, not how fast (speed is measured in bench/): a page that takes a
  // few seconds more on a busy machine is the same page. The defaults (5 s a check, 30 s a journey)
  // made load a failure.
  expect: { timeout: 10_000 },
  timeout: 60_000,
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions: chromium,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  },
  projects: [
    { name: 'phone', use: { viewport: { width: 412, height: 915 }, isMobile: false, hasTouch: true } },
    // Desk-sized journeys only: tag a test with { tag: '@desk' } to run it here too.
    { name: 'desk', use: { viewport: { width: 1440, height: 900 } }, grep: /@desk/ },
  ],
  // With E2E_BASE_URL set, the caller runs the app (e.g. a preview build); otherwise start one.
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: 'node scripts/e2e-server.mjs',
        url: `http://127.0.0.1:${port}/readyz`,
        reuseExistingServer: !process.env.CI,
        timeout: 120_000,
      },
})
