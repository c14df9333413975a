import { expect, type Page } from '@playwright/test'

/** The two screens issue 19's journeys run at: a small phone and a station desk. */
export const SCREENS = [
  { name: '360x800', phone: true, viewport: { width: 360, height: 800 } },
  { name: '1366x800', phone: false, viewport: { width: 1366, height: 800 } },
] as const

/** The page is no wider than the screen: nothing to scroll sideways to. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }))
  expect(scroll, 'page width').toBeLessThanOrEqual(client)
}

/** A full-page screenshot kept with the test's results (and in SHOTS_DIR when set) to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR
  await page.screenshot({ path: dir ? `${dir}/${name}.png` : `test-results/shots/${name}.png` })
}
