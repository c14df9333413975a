import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from './test/test-app'

// A fake build output as `vite build` leaves it: a hashed chunk and the shell, each with the .br
// and .gz written by the precompress plugin in vite.config.ts.
const chunk = Buffer.from(`export const greeting = ${JSON.stringify('Xin chào '.repeat(400))};\n`)
const shell = Buffer.from(
  `<!doctype html><html lang="vi"><head><title>Nhịp Cầu</title></head><body>${'<p>Nhịp Cầu</p>'.repeat(100)}<div id="root"></div></body></html>`,
)

const publicFile = (name: string) => join(import.meta.dirname, '..', 'web', 'public', name)

let ctx: TestContext
let dist: string

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'nhipcau-web-'))
  mkdirSync(join(dist, 'assets'))
  const put = (name: string, raw: Buffer) => {
    writeFileSync(join(dist, name), raw)
    writeFileSync(join(dist, `${name}.br`), brotliCompressSync(raw))
    writeFileSync(join(dist, `${name}.gz`), gzipSync(raw))
  }
  put('assets/index-abc123.js', chunk)
  put('index.html', shell)
  // The real public files, as Vite copies them into the build.
  copyFileSync(publicFile('manifest.webmanifest'), join(dist, 'manifest.webmanifest'))
  ctx = await createTestApp({ WEB_DIST_DIR: dist })
})

afterAll(async () => {
  await ctx?.close()
  rmSync(dist, { recursive: true, force: true })
})

const get = (url: string, acceptEncoding?: string) =>
  ctx.app.inject({
    method: 'GET',
    url,
    headers: { accept: 'text/html,*/*', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
  })

describe('the web client on a weak connection', () => {
  it('sends a hashed asset brotli-compressed to a browser that accepts br, cached a year', async () => {
    const res = await get('/assets/index-abc123.js', 'gzip, deflate, br')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(String(res.headers.vary).toLowerCase()).toContain('accept-encoding')
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(res.rawPayload.length).toBeLessThan(chunk.length / 4)
    expect(brotliDecompressSync(res.rawPayload).equals(chunk)).toBe(true)
  })

  it('sends gzip to a browser that accepts only gzip', async () => {
    const res = await get('/assets/index-abc123.js', 'gzip')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(gunzipSync(res.rawPayload).equals(chunk)).toBe(true)
  })

  it('sends the original bytes when no encoding is accepted, still varying on it', async () => {
    const res = await get('/assets/index-abc123.js')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(String(res.headers.vary).toLowerCase()).toContain('accept-encoding')
    expect(res.rawPayload.equals(chunk)).toBe(true)
  })

  it('sends the page shell compressed and never cached stale, also for client-side routes', async () => {
    for (const url of ['/', '/khu-vuc/some-area']) {
      const res = await get(url, 'br')
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-encoding']).toBe('br')
      expect(res.headers['content-type']).toMatch(/text\/html/)
      expect(res.headers['cache-control']).toBe('no-cache')
      expect(brotliDecompressSync(res.rawPayload).equals(shell)).toBe(true)
    }
    const plain = await get('/', undefined)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.rawPayload.equals(shell)).toBe(true)
  })
})

describe('the web client as an installable app', () => {
  it('links a manifest the browser may load under the CSP, with icons that exist at their sizes', async () => {
    const page = readFileSync(join(import.meta.dirname, '..', 'web', 'index.html'), 'utf8')
    expect(page).toContain('<link rel="manifest" href="/manifest.webmanifest" />')
    expect(page).toContain('<meta name="theme-color" content="#0a3d6b" />')
    expect(page).toMatch(/<link rel="apple-touch-icon" href="\/apple-touch-icon.png" \/>/)

    const res = await get('/manifest.webmanifest')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/)
    // No manifest-src: default-src 'self' governs, so a same-origin manifest loads.
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).not.toContain('manifest-src')

    const manifest = res.json()
    expect(manifest).toMatchObject({ name: 'Nhịp Cầu', lang: 'vi', start_url: '/', display: 'standalone' })
    const sizes: string[] = []
    for (const icon of manifest.icons as { src: string; sizes: string; purpose: string }[]) {
      const png = readFileSync(publicFile(icon.src.slice(1)))
      // PNG IHDR: width and height as big-endian 32-bit at bytes 16 and 20.
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes)
      sizes.push(`${icon.sizes} ${icon.purpose}`)
    }
    expect(sizes).toEqual(['192x192 any', '512x512 any', '512x512 maskable'])
    expect(readFileSync(publicFile('apple-touch-icon.png')).readUInt32BE(16)).toBe(180)
  })
})
