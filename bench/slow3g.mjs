// Slow 3G: how long a first visit takes to show what the reader came for, in Debian's Chromium with the
// network emulated through CDP (400 kbps down and up, 400 ms round trip; issue 19 asks for the officer's
// name within 5 s). A fresh browser context per run, so nothing is cached: the phone that scans a poster.
//
//   QR landing /a/:slug         until the area officer's name is painted
//   procedure /procedures/:id   until the procedure's name (h1) is painted
//   alert share /alerts/:id/share  until the alert's headline is painted (when the demo has a public alert)
//   and, on the pages with the app's header, until the header (the name "Nhịp Cầu") is painted: with no
//   touch in the run, a header drawn only by the app never comes ("never" in the table).
//
// "Painted" is the Element Timing API's renderTime of the element holding the text (the attribute is set
// by an init script as the element enters the page, so the app's code is measured unchanged), counted
// from the start of navigation. Also reported: first contentful paint, the load event, and JavaScript
// received (compressed bytes) before that paint and by the time the network is idle.
//
//   npm run bench:slow3g                      starts the journeys' server (scripts/e2e-server.mjs) on
//                                              E2E_PORT (default 3100) and runs each page 3 times
//   npm run bench:slow3g -- --base-url http://127.0.0.1:3561 --runs 5 --save
//                                              against a server already running; writes results/slow3g.json
import { execSync, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from '@playwright/test'

const root = resolve(import.meta.dirname, '..')
const { values: args } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    runs: { type: 'string', default: '3' },
    area: { type: 'string', default: 'hai-ba-trung-tdp-1' },
    procedure: { type: 'string', default: 'xoa-dang-ky-thuong-tru' },
    save: { type: 'boolean' },
  },
})
const runs = Number(args.runs)
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 }

let server = null
let base = args['base-url']
if (!base) {
  const port = process.env.E2E_PORT ?? '3100'
  base = `http://127.0.0.1:${port}`
  server = spawn(process.execPath, ['scripts/e2e-server.mjs'], {
    cwd: root,
    env: { ...process.env, E2E_PORT: port },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  })
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGTERM')
    } catch {}
  }
  process.on('exit', stop)
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))
  const deadline = Date.now() + 180_000
  for (;;) {
    if ((await fetch(`${base}/readyz`).catch(() => null))?.ok) break
    if (Date.now() > deadline) throw new Error(`no server at ${base} after 180 s`)
    await new Promise((ok) => setTimeout(ok, 500))
  }
}

const api = async (path) => {
  const res = await fetch(`${base}${path}`)
  return res.ok ? res.json() : null
}
const area = await api(`/api/directory/areas/${args.area}`)
const procedure = await api(`/api/procedures/${args.procedure}`)
const alerts = await api('/api/alerts')
const officer = area?.area.currentOfficer?.name
if (!officer) throw new Error(`area ${args.area} has no officer at ${base}`)
const pages = [
  { page: 'QR landing /a/:slug', path: `/a/${args.area}`, text: officer, what: "officer's name" },
  {
    page: 'procedure /procedures/:id',
    path: `/procedures/${args.procedure}`,
    text: procedure.nameVi,
    what: 'h1',
  },
]
const alert = alerts?.items?.[0]
if (alert)
  pages.push({
    page: 'alert share /alerts/:id/share',
    path: alert.shareUrl,
    text: alert.headline,
    what: 'headline',
  })
else process.stderr.write('no public alert in this database: the alert share page is not measured\n')

/** Runs in the page before its own scripts: marks the element that shows `text` for Element Timing. */
function watchFor(text) {
  const found = { paintedAt: null, inPageAt: null, headerPaintedAt: null }
  window.__slow3g = found
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier === 'slow3g-target' && found.paintedAt === null)
        found.paintedAt = e.renderTime || e.loadTime
      if (e.identifier === 'slow3g-header' && found.headerPaintedAt === null)
        found.headerPaintedAt = e.renderTime || e.loadTime
    }
  }).observe({ type: 'element', buffered: true })
  const xpath = `//body//*[contains(text(), ${JSON.stringify(text)})]`
  new MutationObserver(() => {
    for (const el of document.querySelectorAll('.app-header .brand__name:not([elementtiming])'))
      el.setAttribute('elementtiming', 'slow3g-header')
    const hits = document.evaluate(xpath, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null)
    for (let i = 0; i < hits.snapshotLength; i++) {
      const el = hits.snapshotItem(i)
      if (el.hasAttribute('elementtiming')) continue
      el.setAttribute('elementtiming', 'slow3g-target')
      found.inPageAt ??= performance.now()
    }
  }).observe(document, { childList: true, subtree: true, characterData: true })
}

const load = loadavg()[0]
const cores = cpus().length
if (load > cores)
  process.stderr.write(`warning: load average ${load.toFixed(1)} on ${cores} cores; figures will be high\n`)

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
  ],
})

async function measure({ path, text }) {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'vi-VN' })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G)
  await page.addInitScript(watchFor, text)
  await page.goto(`${base}${path}`, { waitUntil: 'commit', timeout: 120_000 })
  await page.waitForFunction(() => window.__slow3g?.paintedAt != null, null, {
    timeout: 120_000,
    polling: 100,
  })
  await page.waitForLoadState('networkidle', { timeout: 180_000 })
  const result = await page.evaluate(() => {
    const js = performance
      .getEntriesByType('resource')
      .filter((r) => new URL(r.name).pathname.endsWith('.js'))
      .map((r) => ({ end: r.responseEnd, bytes: r.encodedBodySize }))
    const paintedAt = window.__slow3g.paintedAt
    const headerAt = window.__slow3g.headerPaintedAt
    const sum = (xs) => xs.reduce((n, r) => n + r.bytes, 0)
    return {
      paintedS: paintedAt / 1000,
      headerS: headerAt === null ? Number.POSITIVE_INFINITY : headerAt / 1000,
      jsBeforeKb: sum(js.filter((r) => r.end <= paintedAt)) / 1024,
      jsByIdleKb: sum(js) / 1024,
      fcpS: (performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN) / 1000,
      // The load event: the browser's spinner stops (module scripts and their imports hold it back).
      loadS: (performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? Number.NaN) / 1000,
    }
  })
  await context.close()
  return result
}

const results = []
for (const p of pages) {
  const samples = []
  for (let i = 0; i < runs; i++) samples.push(await measure(p))
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)]
  const painted = samples.map((s) => s.paintedS).sort((a, b) => a - b)
  results.push({
    page: p.page,
    target: p.what,
    runs,
    paintedSeconds: { min: painted[0], median: median('paintedS'), max: painted.at(-1) },
    // null: the header was not painted by the time the network was idle (no touch in these runs).
    headerPaintedSecondsMedian: Number.isFinite(median('headerS')) ? median('headerS') : null,
    firstContentfulPaintSecondsMedian: median('fcpS'),
    loadEventSecondsMedian: median('loadS'),
    jsBeforePaintKbMedian: median('jsBeforeKb'),
    jsByNetworkIdleKbMedian: median('jsByIdleKb'),
  })
}
const version = browser.version()
await browser.close()

const f = (x, w = 6) => x.toFixed(2).padStart(w)
process.stdout.write(
  `\nslow 3G (400 kbps, 400 ms RTT), cold cache, 360×800 — ${runs} runs, ${base}, Chromium ${version}, ${cores} cores, load ${load.toFixed(1)}\n`,
)
process.stdout.write(
  `${'page'.padEnd(32)}${'until'.padEnd(16)}   min  median    max    FCP   load  header  JS before (KB)  JS by idle (KB)\n`,
)
for (const r of results) {
  const { min, median, max } = r.paintedSeconds
  process.stdout.write(
    `${r.page.padEnd(32)}${r.target.padEnd(16)}${f(min)}${f(median)}${f(max)}${f(r.firstContentfulPaintSecondsMedian, 7)}${f(r.loadEventSecondsMedian, 7)}${(r.headerPaintedSecondsMedian === null ? 'never' : r.headerPaintedSecondsMedian.toFixed(2)).padStart(8)}${r.jsBeforePaintKbMedian.toFixed(1).padStart(16)}${r.jsByNetworkIdleKbMedian.toFixed(1).padStart(17)}\n`,
  )
}

if (args.save) {
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8' }).trim()
    } catch {
      return null
    }
  })()
  const record = {
    date: new Date().toISOString(),
    commit,
    base,
    chromium: version,
    cores,
    loadAverage: load,
    results,
  }
  writeFileSync(join(root, 'bench', 'results', 'slow3g.json'), `${JSON.stringify(record, null, 2)}\n`)
}
process.exit(0)
