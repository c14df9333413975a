import AxeBuilder from '@axe-core/playwright'
import { type Browser, expect, type Page } from '@playwright/test'

type AxeViolation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number]

/**
 * axe's WCAG 2 A and AA violations on the page. Legacy mode runs axe.run() in the page itself; the
 * default opens a blank page for every check to merge the frames' results (axe.finishRun), which
 * took about half of each check's ~1.1 s (0.6 s in legacy mode, loaded machine). Legacy mode skips
 * cross-origin frames only, so a page that has one fails here instead of going unchecked.
 * resultTypes leaves violations complete and lists one node for each pass and inapplicable rule.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const origin = new URL(page.url()).origin
  const foreign = page
    .frames()
    .map((f) => f.url())
    .filter((url) => /^https?:/.test(url) && new URL(url).origin !== origin)
  expect(foreign, 'cross-origin frames, which axe in legacy mode does not check').toEqual([])
  // options() replaces every option set before it (withTags' runOnly too): it comes first.
  const results = await new AxeBuilder({ page })
    .options({ resultTypes: ['violations'] })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode()
    .analyze()
  return results.violations
}

/** Runs axe with the WCAG 2 A and AA rules and fails with a readable list of violations. */
export async function expectNoA11yViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page)
  const summary = violations.map(
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
