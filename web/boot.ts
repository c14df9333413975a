// The page's entry: styles and the large-text setting before the first paint, then the app.
// A page the server sent with its content (QR landing, procedure pages) reads and works without
// the app (~170 KB compressed), so on those the app starts at the reader's first touch or key, or
// once the page has loaded and the browser is idle — the latter only on a good connection: on a
// slow or metered one (3G, Save-Data) those 170 KB are several seconds of a link the page does not
// need (issue 19: ≤ 100 KB of JavaScript on first load). Every other page starts the app at once;
// its chunk is already on its way (modulepreload added by vite.config.ts).
import '@fontsource/be-vietnam-pro/400.css'
import '@fontsource/be-vietnam-pro/600.css'
import '@fontsource/be-vietnam-pro/700.css'
import './styles/tokens.css'
import './styles/base.css'
import './styles/header.css'
import './styles/layout.css'
import './styles/components.css'
import './styles/home.css'
import './features/alerts/alerts.css'
import { PREF_KEYS, readPref, writePref } from './lib/prefs-storage'

// The same rule as lib/large-text.ts, which the app loads later: here so a server-rendered page is
// never painted at the small size first.
if (readPref(PREF_KEYS.largeText) === '1') document.documentElement.dataset.textSize = 'large'

const startApp = () => import('./main')

if (document.getElementById('root')?.dataset.prerendered) {
  answerPrerenderedHeader()
  startWhenNeeded()
} else void startApp()

/**
 * The server-rendered page's header (server/modules/web-pages/web-pages.chrome.ts) has the language
 * and large-text buttons: they work before the app arrives, storing the choice the app then reads.
 */
function answerPrerenderedHeader(): void {
  const root = document.documentElement
  const pressed = (el: Element | null | undefined, on: boolean) =>
    el?.setAttribute('aria-pressed', String(on))
  pressed(document.querySelector('[data-prerender-control="large-text"]'), root.dataset.textSize === 'large')
  addEventListener('click', (e) => {
    const control = (e.target as Element).closest?.('[data-prerender-control]')
    if (!control) return
    if (control.getAttribute('data-prerender-control') === 'large-text') {
      const large = root.dataset.textSize !== 'large'
      if (large) root.dataset.textSize = 'large'
      else delete root.dataset.textSize
      writePref(PREF_KEYS.largeText, large ? '1' : '0')
      pressed(control, large)
    } else {
      for (const option of control.parentElement?.children ?? []) pressed(option, option === control)
      writePref(PREF_KEYS.lang, control.getAttribute('lang') ?? 'vi')
    }
  })
}

function startWhenNeeded(): void {
  const cues = ['pointerdown', 'keydown', 'focusin'] as const
  let started = false
  const start = () => {
    if (started) return
    started = true
    for (const cue of cues) removeEventListener(cue, start, true)
    void startApp()
  }
  for (const cue of cues) addEventListener(cue, start, { capture: true, passive: true })
  if (isWeakConnection()) return
  const whenIdle = () =>
    'requestIdleCallback' in window ? requestIdleCallback(start, { timeout: 2000 }) : setTimeout(start, 200)
  if (document.readyState === 'complete') whenIdle()
  else addEventListener('load', whenIdle, { once: true })
}

/** Network Information API (Chromium): absent elsewhere, where the connection counts as good. */
function isWeakConnection(): boolean {
  const c = (navigator as Navigator & { connection?: { effectiveType?: string; saveData?: boolean } })
    .connection
  if (!c) return false
  return c.saveData === true || (c.effectiveType !== undefined && c.effectiveType !== '4g')
}
