import { slugify } from '@common/text/fold'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { postersPolicy } from './posters.policy'
import { presentPosterList } from './posters.presenter'
import { PostersService } from './posters.service'

const ZLang = z.object({ lang: z.enum(['vi', 'en']).optional() })
const ZUnitParams = z.object({ id: z.uuid() })
const ZAreaParams = z.object({ id: z.uuid() })
const ZAreaQuery = ZLang.extend({ format: z.enum(['pdf', 'png', 'svg']).default('pdf') })

const ZPosterList = z.array(
  z.object({
    area: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
    poster: z
      .object({ code: z.string(), scanUrl: z.string(), createdAt: z.string(), scans: z.number().int() })
      .nullable(),
  }),
)

const attachment = (name: string, ext: string) => `inline; filename="${slugify(name) || 'poster'}.${ext}"`

/**
 * QR posters: printable per area or for a whole ward, and the short-code redirect that counts scans.
 * The renderers (pdfkit, fontkit, sharp) are imported on the first print, not at start: loading
 * them took 0.5–1 s of every restart on 2 cores while clients waited to reconnect (issue 16).
 */
export const postersRoutes: FastifyPluginAsyncZod = async (app) => {
  const service = new PostersService(app.db, app.deps.config.PUBLIC_URL, app.deps.storage)

  app.get(
    '/q/:code',
    {
      schema: {
        ...publicOperation,
        tags: ['posters'],
        params: z.object({ code: z.string().regex(/^[2-9A-Za-z]{4,16}$/) }),
      },
    },
    async (request, reply) => reply.redirect(await service.scan(request.params.code), 302),
  )

  app.get(
    '/api/units/:id/posters',
    { schema: { tags: ['posters'], params: ZUnitParams, response: { 200: ZPosterList } } },
    async (request) => {
      const actor = requireActor(request)
      const unit = await service.getUnit(request.params.id)
      postersPolicy.authorize(actor, 'readScans', unit, { hide: true })
      return presentPosterList(await service.listForUnit(unit.id), app.deps.config.PUBLIC_URL)
    },
  )

  app.get(
    '/api/units/:id/posters.pdf',
    { schema: { tags: ['posters'], params: ZUnitParams, querystring: ZLang } },
    async (request, reply) => {
      const actor = requireActor(request)
      const unit = await service.getUnit(request.params.id)
      postersPolicy.authorize(actor, 'printUnit', unit, { hide: true })
      const locale = request.query.lang ?? request.locale
      const pages = await service.pagesForUnit(unit, locale, auditContext(request))
      const { renderPostersPdf } = await import('./poster-pdf')
      const doc = renderPostersPdf(
        pages.map((p) => p.elements),
        service.title(locale, unit.name),
      )
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment(unit.name, 'pdf'))
        .send(doc)
    },
  )

  app.get(
    '/api/areas/:id/poster',
    { schema: { tags: ['posters'], params: ZAreaParams, querystring: ZAreaQuery } },
    async (request, reply) => {
      const actor = requireActor(request)
      const area = await service.getArea(request.params.id)
      postersPolicy.authorize(actor, 'printArea', area, { hide: true })
      const locale = request.query.lang ?? request.locale
      const page = await service.pageFor(area, locale, auditContext(request))
      const title = service.title(locale, area.name)
      const disposition = attachment(area.name, request.query.format)
      reply.header('content-disposition', disposition)
      if (request.query.format === 'pdf') {
        const { renderPostersPdf } = await import('./poster-pdf')
        return reply.type('application/pdf').send(renderPostersPdf([page.elements], title))
      }
      const { renderPosterPng, renderPosterSvg } = await import('./poster-svg')
      const svg = renderPosterSvg(page.elements, title)
      if (request.query.format === 'svg') return reply.type('image/svg+xml').send(svg)
      return reply.type('image/png').send(await renderPosterPng(svg))
    },
  )
}
