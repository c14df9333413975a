import { translate } from '@common/i18n/messages'
import { ZText } from '@common/schemas/text'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, notFound } from '../../lib/errors'
import { optionalActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { type FeedEntry, renderAtomFeed, renderSharePage } from './alert-public.render'
import { capInput } from './alert-versions'
import { alertsPolicy } from './alerts.policy'
import { alertsRepository } from './alerts.repository'
import { type AlertsDeps, alertsService, loadForActor } from './alerts.service'

/**
 * Pages served by Fastify itself, not the web app: the share page (Open Graph for Zalo and
 * Facebook previews) and the Atom feeds whose entries carry CAP 1.2.
 */
export function alertsPublicRoutes(deps: AlertsDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/alerts/:id/share',
      { schema: { hide: true, params: z.object({ id: z.uuid() }) } },
      async (request, reply) => {
        const actor = optionalActor(request)
        try {
          const { resource } = await loadForActor(deps.db, actor, request.params.id)
          alertsPolicy.authorize(actor, 'readPublic', resource, { hide: true })
        } catch (err) {
          if (!(err instanceof AppError)) throw err
          const t = (k: string) => translate(request.locale, k)
          return reply
            .status(404)
            .type('text/html; charset=utf-8')
            .send(
              `<!doctype html><html lang="${request.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t('alerts.share.notFound')}</title></head><body><main><h1>${t('alerts.share.notFound')}</h1><p><a href="/alerts">${t('alerts.share.allAlerts')}</a></p></main></body></html>`,
            )
        }
        const view = await alertsService.view(deps, null, request.params.id)
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'public, max-age=60')
          .send(renderSharePage(view, { locale: request.locale, publicUrl: deps.config.PUBLIC_URL }))
      },
    )

    const feed = async (slug: string, kind: 'units' | 'provinces') => {
      const unit = await alertsRepository.unitBySlug(deps.db, slug)
      if (!unit || (kind === 'provinces' && unit.level !== 'province'))
        throw notFound('alerts.unit_not_found')
      const ids = await alertsRepository.listPublic(deps.db, {
        unitPath: unit.path,
        limit: 50,
        includeEnded: true,
      })
      const entries: FeedEntry[] = []
      for (const id of ids) {
        const alert = await alertsService.view(deps, null, id)
        const messages = await alertsRepository.messages(deps.db, id)
        const last = messages[messages.length - 1]
        if (last) entries.push({ alert, cap: capInput(deps.config, id, last) })
      }
      entries.sort((a, b) => b.cap.sent.getTime() - a.cap.sent.getTime())
      return renderAtomFeed({
        title: `Cảnh báo — Công an ${unit.name}`,
        selfUrl: `${deps.config.PUBLIC_URL}/feeds/${kind}/${unit.slug}/alerts.atom`,
        publicUrl: deps.config.PUBLIC_URL,
        authorName: `Công an ${unit.name}`,
        entries,
      })
    }

    app.get(
      '/feeds/units/:slug/alerts.atom',
      {
        schema: {
          ...publicOperation,
          tags: ['alerts'],
          summary: "Atom feed of a unit's public alerts; entries carry CAP 1.2",
          params: z.object({ slug: ZText.max(120) }),
        },
      },
      async (request, reply) =>
        reply
          .type('application/atom+xml; charset=utf-8')
          .header('cache-control', 'public, max-age=60')
          .send(await feed(request.params.slug, 'units')),
    )

    app.get(
      '/feeds/provinces/:slug/alerts.atom',
      {
        schema: {
          ...publicOperation,
          tags: ['alerts'],
          summary: 'Atom feed of every public alert in a province',
          params: z.object({ slug: ZText.max(120) }),
        },
      },
      async (request, reply) =>
        reply
          .type('application/atom+xml; charset=utf-8')
          .header('cache-control', 'public, max-age=60')
          .send(await feed(request.params.slug, 'provinces')),
    )
  }
}
