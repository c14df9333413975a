import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  root: r('./web'),
  plugins: [react(), preloadApp(), precompress()],
  resolve: { alias: { '@web': r('./web'), '@common': r('./common') } },
  // manifest: the server links a server-rendered page's own styles (server/modules/web-pages).
  build: { outDir: r('./dist/web'), emptyOutDir: true, sourcemap: false, manifest: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/ws': { target: 'ws://127.0.0.1:3000', ws: true },
      '/healthz': 'http://127.0.0.1:3000',
      '/readyz': 'http://127.0.0.1:3000',
    },
  },
})

/**
 * The HTML entry is web/boot.ts, which imports the app (web/main.tsx) itself: this lists the app's
 * chunks as modulepreload in index.html, so a page that starts the app at once fetches it alongside
 * boot.ts rather than one round trip later. The server drops these links from the pages it renders
 * with their content (server/modules/web-pages), which start the app later.
 */
function preloadApp(): Plugin {
  return {
    name: 'nhipcau-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle ?? {}
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk')
        const app = chunks.find((c) => c.facadeModuleId === r('./web/main.tsx'))
        if (!app) throw new Error('nhipcau-preload-app: no chunk for web/main.tsx')
        const files = new Set<string>()
        const add = (file: string) => {
          if (files.has(file)) return
          files.add(file)
          for (const dep of chunks.find((c) => c.fileName === file)?.imports ?? []) add(dep)
        }
        add(app.fileName)
        // Already in the page: boot.ts itself and what it imports.
        for (const file of [ctx.chunk?.fileName, ...(ctx.chunk?.imports ?? [])]) if (file) files.delete(file)
        // The app's own styles stay in the page as before, so a server-rendered page never waits for them.
        const css = [...files].flatMap((file) => [
          ...(chunks.find((c) => c.fileName === file)?.viteMetadata?.importedCss ?? []),
        ])
        return [
          ...css.map((file) => ({
            tag: 'link',
            attrs: { rel: 'stylesheet', crossorigin: true, href: `/${file}` },
            injectTo: 'head' as const,
          })),
          ...[...files].map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
            injectTo: 'head' as const,
          })),
        ]
      },
    },
  }
}

/**
 * Writes `file.br` and `file.gz` next to every text asset over 1 KB in the build output, so the
 * server (@fastify/static `preCompressed`) sends the smallest variant the browser accepts without
 * compressing on each request (issue #19: the QR landing page on slow 3G). A variant that is not
 * smaller than the original is not written; the server then sends the original.
 */
function precompress(): Plugin {
  const compressible = /\.(js|mjs|css|html|svg|json|webmanifest)$/
  let outDir = ''
  return {
    name: 'nhipcau-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!compressible.test(file)) continue
        const raw = readFileSync(file)
        if (raw.length <= 1024) continue
        const br = brotliCompressSync(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
        })
        const gz = gzipSync(raw, { level: 9 })
        if (br.length < raw.length) writeFileSync(`${file}.br`, br)
        if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz)
      }
    },
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}
