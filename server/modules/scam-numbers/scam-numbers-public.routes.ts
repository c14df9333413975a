import { createHash } from 'node:crypto'
import { ZScamFeed, ZScamNumberPage, ZScamNumberParams } from '@common/schemas/scam-numbers'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { publicOperation } from '../auth/openapi-access'
import { getScamFeed, getScamNumberPage, scamFeedCsv } from './scam-numbers-public.service'

const tags = ['scam-numbers']

/** Per IP; the feed is cacheable, so a well-behaved app needs a handful of calls an hour. */
export const scamPublicLimits = {
  page: { max: 60, timeWindow: '1 minute' },
  feed: { max: 30, timeWindow: '1 minute' },
}

/** Caches (and apps) may keep the answer 5 minutes; a conditional request costs a 304. */
function sendCacheable(
  request: FastifyRequest,
  reply: FastifyReply,
  r: { body: string; etagOf: string; maxAge: number },
) {
  const etag = `"${createHash('sha256').update(r.etagOf).digest('base64url').slice(0, 27)}"`
  reply.header('cache-control', `public, max-age=${r.maxAge}`).header('etag', etag)
  if (request.headers['if-none-match'] === etag) return reply.status(304).send()
  return reply.send(r.body)
}

/** Public (no sign-in): a verified number's page and the feed of verified numbers. Counts only. */
export const scamNumbersPublicRoutes: FastifyPluginAsyncZod = async (app) => {
  const publicUrl = app.deps.config.PUBLIC_URL

  app.get(
    '/api/scam-numbers/numbers/:phone',
    {
      config: { rateLimit: scamPublicLimits.page },
      schema: { ...publicOperation, tags, params: ZScamNumberParams, response: { 200: ZScamNumberPage } },
    },
    async (request, reply) => {
      const page = await getScamNumberPage(app.db, request.params.phone)
      reply.header('cache-control', 'public, max-age=60')
      return page
    },
  )

  app.get(
    '/api/scam-numbers/feed.json',
    {
      config: { rateLimit: scamPublicLimits.feed },
      schema: {
        ...publicOperation,
        tags,
        summary: 'Verified scam numbers (JSON): numbers, dates and counts; never who reported',
        response: { 200: ZScamFeed },
      },
    },
    async (request, reply) => {
      const feed = ZScamFeed.parse(await getScamFeed(app.db, publicUrl))
      reply.type('application/json; charset=utf-8').header('access-control-allow-origin', '*')
      // The ETag must not change with `generatedAt` alone, or nothing would ever be a 304.
      const { generatedAt: _, ...stable } = feed
      return sendCacheable(request, reply, {
        body: JSON.stringify(feed),
        etagOf: JSON.stringify(stable),
        maxAge: 300,
      })
    },
  )

  app.get(
    '/api/scam-numbers/feed.csv',
    {
      config: { rateLimit: scamPublicLimits.feed },
      schema: {
        ...publicOperation,
        tags,
        summary: 'Verified scam numbers (CSV, UTF-8): the same columns as the JSON feed',
      },
    },
    async (request, reply) => {
      const feed = await getScamFeed(app.db, publicUrl)
      const csv = scamFeedCsv(feed)
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="scam-numbers.csv"')
        .header('access-control-allow-origin', '*')
      // The CSV has no generation time: the ETag follows the data.
      return sendCacheable(request, reply, { body: csv, etagOf: csv, maxAge: 300 })
    },
  )
}
