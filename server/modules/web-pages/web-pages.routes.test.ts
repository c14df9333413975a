import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assignOfficer, buildArea, buildCommander, buildOfficer, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { importCatalogueFiles } from '../procedures/procedure-import.service'

// The shell as `vite build` writes it (web/index.html): the page goes into #root.
const shell =
  '<!doctype html><html lang="vi"><head><title>Nhịp Cầu</title><script type="module" crossorigin src="/assets/index-abc.js"></script><link rel="stylesheet" crossorigin href="/assets/index-abc.css"><link rel="modulepreload" crossorigin href="/assets/main-abc.js"></head><body><div id="root"></div></body></html>'
// The build's manifest: the area page's module, its styles and the app chunk it shares.
const manifest = {
  'main.tsx': { file: 'assets/main-abc.js', css: ['assets/index-abc.css'] },
  'features/directory/AreaPage.tsx': {
    file: 'assets/AreaPage-abc.js',
    css: ['assets/directory-abc.css'],
    imports: ['main.tsx'],
  },
}

let t: TestContext
let dist: string
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'nhipcau-pages-'))
  writeFileSync(join(dist, 'index.html'), shell)
  mkdirSync(join(dist, '.vite'))
  writeFileSync(join(dist, '.vite/manifest.json'), JSON.stringify(manifest))
  t = await createTestApp({ WEB_DIST_DIR: dist })
  await importCatalogueFiles(t.db)
})
afterAll(async () => {
  await t.close()
  rmSync(dist, { recursive: true, force: true })
})

const page = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ url, headers: { accept: 'text/html,*/*', ...headers } })

describe('pages that work before their JavaScript arrives', () => {
  it('sends the QR landing page with the area officer’s name and official phone in the HTML', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 7' })
    const { user } = await buildOfficer(t.db, {
      unit: ward,
      displayName: 'Lê Đức Chương',
      officialPhone: '+84987654321',
    })
    await assignOfficer(t.db, user.id, area.id)
    await buildCommander(t.db, { unit: ward })

    const res = await page(`/a/${area.slug}`, { 'accept-encoding': 'br' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    const html = brotliDecompressSync(res.rawPayload).toString('utf8')
    expect(html).toContain('<div id="root" data-prerendered="true"><div class="resident-layout">')
    // The header is in the page the server sends, so it is in the first paint (issue 19, slow 3G):
    // the app's name, the language buttons and large-text mode, and the emergency numbers below.
    expect(html).toMatch(/<header class="app-header">.*<span class="brand__name">Nhịp Cầu<\/span>/)
    expect(html).toContain('aria-pressed="true" data-prerender-control="lang">Tiếng Việt</button>')
    expect(html).toContain('data-prerender-control="large-text">')
    expect(html).toContain('Chữ lớn</button>')
    expect(html).toContain('href="tel:113"')
    expect(html).toContain('<main id="main" tabindex="-1" class="resident-main ssr-page"><h1>')
    expect(html).toContain('<h1>Tổ dân phố số 7')
    expect(html).toContain('Lê Đức Chương')
    expect(html).toContain('href="tel:+84987654321"')
    expect(html).toContain(`<title>Tổ dân phố số 7 — ${ward.name} — Nhịp Cầu</title>`)
    // The app starts from the same API answer, under the key its page asks for.
    const json = html.match(/<script type="application\/json" id="nhipcau-prerender">(.*?)<\/script>/)?.[1]
    expect(JSON.parse(json!)).toMatchObject({
      key: ['directory', 'area', area.slug],
      data: { area: { slug: area.slug } },
    })
    expect(html).toContain('src="/assets/index-abc.js"')
    // Styled before the app arrives; the app itself is not fetched up front (web/boot.ts starts it later).
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/assets/directory-abc.css"></head>')
    expect(html.match(/index-abc\.css/g)).toHaveLength(1)
    expect(html).not.toContain('modulepreload')
  })

  it('sends a procedure page in the reader’s language, without staff-only review items', async () => {
    const vi = (await page('/procedures/dang-ky-thuong-tru')).body
    expect(vi).toContain('<html lang="vi">')
    expect(vi).toContain('Giấy tờ cần chuẩn bị')
    expect(vi).toContain('href="https://dichvucong.gov.vn"')
    expect(vi).not.toContain('8 m²')
    expect(vi).not.toContain('review')

    const en = (await page('/procedures/xoa-dang-ky-thuong-tru', { 'accept-language': 'en' })).body
    expect(en).toContain('<html lang="en">')
    expect(en).toContain('<span class="brand__tagline">Commune and ward police</span>')
    expect(en).toContain('aria-pressed="true" data-prerender-control="lang">English</button>')
    expect(en).toContain('Commune-level police where the permanent residence is registered')
    expect(en).toContain('href="/procedures/khai-bao-tam-vang"')
  })

  it('falls back to the plain app for a page that does not exist', async () => {
    const res = await page('/procedures/khong-co-thu-tuc-nay')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<div id="root"></div>')
    expect((await page('/a/khong-co-to-nay')).body).toContain('<div id="root"></div>')
    // The plain app starts at once, so its chunk is still fetched alongside the entry.
    expect(res.body).toContain('rel="modulepreload"')
  })

  it('does not serve the build manifest as a file', async () => {
    expect((await page('/.vite/manifest.json', { accept: '*/*' })).statusCode).toBe(404)
  })
})
