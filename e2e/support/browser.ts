import AxeBuilder from '@axe-core/playwright'
import { type Browser, expect, type Page } from '@playwright/test'

/** Runs axe with the WCAG 2 A and AA rules and fails with a readable list of violations. */
export async function expectNoA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  )
  expect(summary, 'axe violations').toEqual([])
}

/** The computed font size of <body> in CSS pixels. */
export async function bodyFontSize(page: Page): Promise<number> {
  return page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize))
}

/** Starts from a clean device: no saved language or text size. */
export async function clearPreferences(page: Page): Promise<void> {
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
}

/** The page fits the viewport's width: nothing makes it scroll sideways (WCAG 1.4.10 reflow). */
export async function expectNoSideScroll(page: Page): Promise<void> {
  const { scrollWidth, width } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }))
  expect(scrollWidth, `page is ${scrollWidth} px wide in a ${width} px viewport`).toBeLessThanOrEqual(width)
}

/** Follows a link of the staff console's navigation; on a phone it first opens the "Menu". */
export async function followStaffNav(page: Page, name: string | RegExp): Promise<void> {
  const menu = page.getByRole('navigation').getByRole('button', { name: 'Menu' })
  const link = page.getByRole('link', { name })
  // The console's first paint (its chunk, the session, the queue) can take more than the default 5 s
  // on a loaded 2-core machine: wait for the navigation itself, as a person would.
  await expect(menu.or(link).first()).toBeVisible({ timeout: 15_000 })
  if (!(await link.isVisible())) await menu.click()
  await link.click()
}

/**
 * Closes the browser contexts a journey opened with browser.newContext(). The browser is shared by
 * the worker, so without this a resident's page of an earlier journey stays open on her
 * conversation and reads each new answer the moment it arrives (as her second phone would), and a
 * later journey waiting for that answer to count as unread never sees the count. Registered with
 * test.afterEach: failure screenshots and traces are taken before it runs.
 */
export async function closeOpenContexts({ browser }: { browser: Browser }): Promise<void> {
  await Promise.all(browser.contexts().map((context) => context.close()))
}
