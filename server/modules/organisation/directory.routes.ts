import {
  ZCheckPhoneRequest,
  ZCheckPhoneResult,
  ZDirectoryArea,
  ZDirectoryRoots,
  ZDirectorySearch,
  ZDirectorySearchQuery,
  ZDirectoryUnit,
} from '@common/schemas/directory'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { publicOperation } from '../auth/openapi-access'
import {
  checkPhone,
  getDirectoryArea,
  getDirectoryUnit,
  listDirectoryRoots,
  searchDirectory,
} from './directory.service'

const tags = ['directory']
const ZSlug = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/) })

/** Per-IP limits for the public directory; the caller check is the one worth abusing, so it is tighter. */
export const directoryLimits = {
  checkPhone: { max: 20, timeWindow: '1 minute' },
  search: { max: 60, timeWindow: '1 minute' },
}

/** Public directory: no sign-in; only public staff data (name, rank, title, photo, official phone). */
export const directoryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/directory/units',
    { schema: { ...publicOperation, tags, response: { 200: ZDirectoryRoots } } },
    async () => listDirectoryRoots(app.db),
  )

  app.get(
    '/api/directory/units/:slug',
    { schema: { ...publicOperation, tags, params: ZSlug, response: { 200: ZDirectoryUnit } } },
    async (request) => getDirectoryUnit(app.db, request.params.slug),
  )

  app.get(
    '/api/directory/areas/:slug',
    { schema: { ...publicOperation, tags, params: ZSlug, response: { 200: ZDirectoryArea } } },
    async (request) => getDirectoryArea(app.db, request.params.slug),
  )

  app.get(
    '/api/directory/search',
    {
      config: { rateLimit: directoryLimits.search },
      schema: {
        ...publicOperation,
        tags,
        querystring: ZDirectorySearchQuery,
        response: { 200: ZDirectorySearch },
      },
    },
    async (request) => searchDirectory(app.db, request.query.q),
  )

  app.post(
    '/api/directory/check-phone',
    {
      config: { rateLimit: directoryLimits.checkPhone },
      schema: { ...publicOperation, tags, body: ZCheckPhoneRequest, response: { 200: ZCheckPhoneResult } },
    },
    async (request) => checkPhone(app.db, request.body.phone, request.locale),
  )
}
