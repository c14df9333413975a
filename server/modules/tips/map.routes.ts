import { ZMapCollection, ZMapQuery } from '@common/schemas/cases'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { invalidField } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { requireActor } from '../auth/auth.guard'
import { caseReference } from './cases.presenter'
import { mapRepository } from './map.repository'
import { casesPolicy } from './tips.policy'
import { tipReference } from './tips.presenter'

/** GeoJSON for the staff map (and its list view): tips and cases with a position, filtered. */
export const mapRoutes: FastifyPluginAsyncZod = async (app) => {
  /** The tile server (MAP_TILE_URL); empty means the map shows pins on a blank grid and the list view. */
  app.get(
    '/api/cases/map/settings',
    {
      schema: {
        tags: ['cases'],
        response: { 200: z.object({ tileUrl: z.string(), attribution: z.string() }) },
      },
    },
    async (request) => {
      casesPolicy.authorize(requireActor(request), 'list')
      return { tileUrl: app.deps.config.MAP_TILE_URL, attribution: app.deps.config.MAP_TILE_ATTRIBUTION }
    },
  )

  app.get(
    '/api/cases/map',
    { schema: { tags: ['cases'], querystring: ZMapQuery, response: { 200: ZMapCollection } } },
    async (request) => {
      const actor = requireActor(request)
      casesPolicy.authorize(actor, 'list')
      const q = request.query
      let bbox: [number, number, number, number] | undefined
      if (q.bbox) {
        const [minLng, minLat, maxLng, maxLat] = q.bbox.split(',').map(Number) as [
          number,
          number,
          number,
          number,
        ]
        if (minLng > maxLng || minLat > maxLat || Math.abs(minLat) > 90 || Math.abs(maxLat) > 90) {
          throw invalidField('bbox', 'invalid', 'map.bbox_format')
        }
        bbox = [minLng, minLat, maxLng, maxLat]
      }
      const rows = await mapRepository.features(
        app.db,
        scopeOf(actor),
        q.kinds.split(',') as ('tips' | 'cases')[],
        {
          ...(bbox ? { bbox } : {}),
          ...(q.category ? { category: q.category } : {}),
          ...(q.status ? { statuses: q.status.split(',').filter(Boolean) } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
        },
      )
      return {
        type: 'FeatureCollection' as const,
        features: rows.map((r) => ({
          type: 'Feature' as const,
          id: `${r.kind}:${r.id}`,
          geometry: {
            type: 'Point' as const,
            coordinates: [Number(r.lng), Number(r.lat)] as [number, number],
          },
          properties: {
            kind: r.kind,
            id: r.id,
            reference: r.kind === 'case' ? caseReference(r.number ?? 0) : tipReference(r.id),
            title: r.title,
            category: r.category as never,
            status: r.status,
            createdAt: new Date(r.created_at).toISOString(),
            areaName: r.area_name,
            url: r.kind === 'case' ? `/staff/cases/${r.id}` : `/staff/tips/${r.id}`,
          },
        })),
      }
    },
  )
}
