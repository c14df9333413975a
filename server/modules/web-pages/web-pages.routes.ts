import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Locale } from '@common/i18n/messages'
import type { TDirectoryArea } from '@common/schemas/directory'
import type { TProcedureDetail } from '@common/schemas/procedures'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { esc, renderAreaPage, renderProcedurePage } from './web-pages.render'

interface Prerendered {
  title: string
  html: string
  /** The web app's query key and the API answer it would fetch: the app starts with it in its cache. */
  query: { key: unknown[]; data: unknown }
}

/** JSON inside a <script> element: nothing in it may close the element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c')

/** Vite's build manifest (dist/.vite/manifest.json): each source module's chunk, styles and imports. */
export type ViteManifest = Record<string, { file: string; css?: string[]; imports?: string[] }>

/** The style sheets a page module needs (its own and its imports'), as the build named them. */
export function pageStyles(manifest: ViteManifest | null, module: string): string[] {
  const css = new Set<string>()
  const seen = new Set<string>()
  const walk = (key: string) => {
    if (seen.has(key)) return
    seen.add(key)
    for (const file of manifest?.[key]?.css ?? []) css.add(`/${file}`)
    for (const dep of manifest?.[key]?.imports ?? []) walk(dep)
  }
  walk(module)
  return [...css]
}

/**
 * The web app's index.html with the page already in #root, its title and language. The page's own
 * styles are linked so it is styled before the app arrives; the app's modulepreload links go, since
 * web/boot.ts starts the app on these pages only once they have loaded (or at the first touch).
 */
export function fillShell(shell: string, page: Prerendered, locale: Locale, styles: string[] = []): string {
  const links = styles
    .filter((href) => !shell.includes(`href="${href}"`))
    .map((href) => `<link rel="stylesheet" crossorigin href="${esc(href)}">`)
    .join('')
  return (
    shell
      .replace('<html lang="vi">', `<html lang="${locale}">`)
      .replace(/<link rel="modulepreload"[^>]*>\s*/g, '')
      .replace('</head>', `${links}</head>`)
      .replace(/<title>[^<]*<\/title>/, `<title>${esc(page.title)} — Nhịp Cầu</title>`)
      // The page reads without JavaScript: no "needs JavaScript" line under it.
      .replace(/<noscript>[\s\S]*?<\/noscript>/, '')
      .replace(
        '<div id="root"></div>',
        `<div id="root" data-prerendered="true">${page.html}</div><script type="application/json" id="nhipcau-prerender">${scriptJson(page.query)}</script>`,
      )
  )
}

/**
 * The QR landing page and the procedure pages answered as HTML with their content (issue 19: a
 * page that works on slow 3G before its JavaScript arrives). The content is the public API's own
 * answer, asked without the caller's cookies, so it is what anyone may read and never staff data.
 * A page the API does not find falls back to the plain web app, which shows its own message.
 */
export function registerPrerenderedPages(
  app: FastifyInstance,
  shell: string,
  sendIndex: (reply: FastifyReply) => FastifyReply,
  manifest: ViteManifest | null = null,
): void {
  const styles = {
    area: pageStyles(manifest, 'features/directory/AreaPage.tsx'),
    procedure: pageStyles(manifest, 'features/procedures/ProcedurePage.tsx'),
  }
  const publicApi = async <T>(request: FastifyRequest, url: string): Promise<T | null> => {
    const res = await app.inject({
      url,
      headers: { 'accept-language': request.headers['accept-language'] ?? 'vi' },
    })
    return res.statusCode === 200 ? (res.json() as T) : null
  }
  const send = async (
    request: FastifyRequest,
    reply: FastifyReply,
    page: Prerendered | null,
    pageCss: string[],
  ) => {
    if (!page) return sendIndex(reply)
    // The header's icons are drawn with react-dom/server: loaded on the first page, not at start.
    const { wrapInResidentLayout } = await import('./web-pages.chrome')
    const framed = { ...page, html: wrapInResidentLayout(page.html, request.locale) }
    const html = Buffer.from(fillShell(shell, framed, request.locale, pageCss))
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('vary', 'Accept-Language, Accept-Encoding')
    // A few kB made per request: compressed at a quick setting (the shell's assets are precompressed).
    const accepts = String(request.headers['accept-encoding'] ?? '')
    if (/\bbr\b/.test(accepts))
      return reply
        .header('content-encoding', 'br')
        .send(brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }))
    if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(gzipSync(html))
    return reply.send(html)
  }
  const wantsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html')

  app.get('/a/:slug', { schema: { hide: true } }, async (request, reply) => {
    const { slug } = request.params as { slug: string }
    if (!wantsHtml(request) || !/^[a-z0-9-]{1,120}$/.test(slug)) return sendIndex(reply)
    const data = await publicApi<TDirectoryArea>(request, `/api/directory/areas/${slug}`)
    return send(
      request,
      reply,
      data && { ...renderAreaPage(data, request.locale), query: { key: ['directory', 'area', slug], data } },
      styles.area,
    )
  })

  app.get('/procedures/:id', { schema: { hide: true } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const unit = (request.query as { unit?: string }).unit
    if (!wantsHtml(request) || !/^[a-z0-9-]{1,80}$/.test(id) || (unit && !/^[a-z0-9-]{1,120}$/.test(unit)))
      return sendIndex(reply)
    const data = await publicApi<TProcedureDetail>(
      request,
      `/api/procedures/${id}${unit ? `?unit=${unit}` : ''}`,
    )
    return send(
      request,
      reply,
      data && {
        ...renderProcedurePage(data, request.locale),
        query: { key: ['procedures', 'detail', id, unit ?? ''], data },
      },
      styles.procedure,
    )
  })
}
