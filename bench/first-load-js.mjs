// First-load JavaScript per page, compressed as the server sends it (.br written by vite.config.ts).
// The HTML entry is web/boot.ts; it starts the app (web/main.tsx) at once on every page but those the
// server renders with their content (QR landing, procedure pages), where the app is fetched only after
// the page has loaded or at the first touch. So for those pages two figures: what the page needs
// before it reads and works ("up front"), and what the app adds afterwards.
// Run after a build:  npx vite build --outDir /tmp/nc-dist && node bench/first-load-js.mjs /tmp/nc-dist
// Sizes, not timings: the figures do not depend on the machine's load. The slow-3G timing of the
// same pages in a browser is bench/slow3g.mjs.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const dist = process.argv[2] ?? 'dist/web'
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))
const pages = [
  { page: 'QR landing /a/:slug', module: 'features/directory/AreaPage.tsx', prerendered: true },
  { page: 'procedure /procedures/:id', module: 'features/procedures/ProcedurePage.tsx', prerendered: true },
  { page: 'home /', module: null },
  { page: 'staff inbox /staff', module: 'features/messaging/InboxPage.tsx' },
]
const closure = (key, seen = new Set()) => {
  if (!key || seen.has(key)) return seen
  seen.add(key)
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen)
  return seen
}
const size = (file) => {
  const br = join(dist, `${file}.br`)
  return existsSync(br) ? statSync(br).size : statSync(join(dist, file)).size
}
const kb = (keys) => {
  const files = [...keys].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'))
  return { kb: (files.reduce((n, f) => n + size(f), 0) / 1024).toFixed(1), files: files.length }
}
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)
// Builds before web/boot.ts had the app as the entry itself.
const app = manifest['main.tsx'] && !manifest['main.tsx'].isEntry ? 'main.tsx' : null
for (const { page, module, prerendered } of pages) {
  const boot = closure(entry)
  const all = closure(module, closure(app, new Set(boot)))
  const total = kb(all)
  if (prerendered && app) {
    const upFront = kb(boot)
    console.log(
      `${page}: ${upFront.kb} KB br up front in ${upFront.files} file(s); the app after load: ${total.kb} KB br in ${total.files} files`,
    )
  } else console.log(`${page}: ${total.kb} KB br in ${total.files} files`)
}
