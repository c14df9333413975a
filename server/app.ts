import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Locale, pickLocale } from '@common/i18n/messages'
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fastifyWebsocket from '@fastify/websocket'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import type { Config } from './config'
import type { DatabaseHandle, Db } from './db/client'
import { registerVacuumJob } from './db/maintenance.job'
import type { JobQueue } from './jobs/job-queue'
import { APP_VERSION } from './lib/app-version'
import { contentSecurityDirectives } from './lib/content-security'
import { registerEdgeGuard } from './lib/edge-guard'
import { clientErrorHandler, frameworkErrorHandler, registerProblemHandlers } from './lib/problem-handler'
import { securitySchemes, withAccessRequirements } from './modules/auth/openapi-access'
import { registerModules } from './modules/index'
import { PushNotifier, vapidSubject } from './modules/notifications/push-notifier'
import { registerPrerenderedPages, type ViteManifest } from './modules/web-pages/web-pages.routes'
import type { EventBus } from './realtime/event-bus'
import { RealtimeHub } from './realtime/hub'
import { withDurableDeletes } from './storage/durable-deletes'
import type { FileStorage } from './storage/file-storage'

export interface AppDeps {
  config: Config
  database: DatabaseHandle
  bus: EventBus
  jobs: JobQueue
  storage: FileStorage
  logger?: FastifyServerOptions['logger']
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps
    db: Db
    hub: RealtimeHub
    /** The one Web Push notifier: modules call `app.push.notifyUsers(…)` after their commit. */
    push: PushNotifier
    /** Every route as registered (method + path): the authorisation matrix checks it covers them all. */
    routeTable: { method: string; url: string }[]
  }
  interface FastifyRequest {
    locale: Locale
  }
}

export type App = FastifyInstance

/** A hop count believes that many proxies nearest to the server (proxy-addr counts hops from 0). */
const trustProxyOption = (trust: Config['TRUST_PROXY']) =>
  typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust

/** The Fastify factory used by main.ts and by every route test. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps
  const app = Fastify({
    logger: deps.logger ?? false,
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  // Deletes that fail (a bucket out of reach) are retried by the job queue: see durable-deletes.ts.
  app.decorate('deps', { ...deps, storage: withDurableDeletes(deps.storage, deps.jobs) })
  app.decorate('db', deps.database.db)
  const routeTable: { method: string; url: string }[] = []
  app.decorate('routeTable', routeTable)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url })
  })
  app.decorateRequest('locale', 'vi')
  app.addHook('onRequest', async (request, reply) => {
    request.locale = pickLocale(request.headers['accept-language'])
    reply.header('x-request-id', request.id)
  })
  registerProblemHandlers(app)
  registerEdgeGuard(app)

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: contentSecurityDirectives(config) },
    // The Swagger UI page and public share pages are framed by nothing; same-origin is enough.
    crossOriginEmbedderPolicy: false,
    hsts: config.isProduction,
  })
  await app.register(fastifyCookie, { secret: config.SESSION_SECRET })
  // Off globally; sign-in and public forms opt in with their own limits.
  await app.register(fastifyRateLimit, { global: false })
  // The hub tracks every socket itself (and closes them at shutdown): no second set of clients in ws.
  // Compression stays off (ws's default for servers, said here so nobody turns it on for 15 KiB sockets).
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 64 * 1024, clientTracking: false, perMessageDeflate: false },
  })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'NhipCau API',
        version: APP_VERSION,
        description: 'Residents ↔ local police. Errors are RFC 9457 problem details.',
      },
      components: { securitySchemes },
    },
    transform: withAccessRequirements(jsonSchemaTransform),
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  const unwatchDatabase = deps.database.reachability?.onChange((reachable) =>
    reachable
      ? app.log.info('database reachable again')
      : app.log.warn('database unreachable: requests answered 503 until it is back'),
  )
  app.addHook('onClose', async () => unwatchDatabase?.())
  const hub = new RealtimeHub(deps.bus, app.log)
  app.decorate('hub', hub)
  const push = new PushNotifier(
    deps.database.db,
    deps.jobs,
    vapidSubject(config.PUBLIC_URL),
    config.PUSH_ALLOWED_HOSTS,
    app.log,
  )
  push.registerJobs()
  registerVacuumJob(deps.database, deps.jobs)
  app.decorate('push', push)
  app.addHook('onClose', async () => push.close())
  await app.register(registerModules)

  await registerWebClient(app, config)
  // Before the server stops listening, not after: with ws's own client list off, nothing else
  // closes the sockets, and an open WebSocket keeps server.close() (and every shutdown) waiting.
  app.addHook('preClose', async () => hub.close())
  return app
}

/** Serves the built React app; any other GET for a page falls back to index.html (client-side routes). */
async function registerWebClient(app: FastifyInstance, config: Config): Promise<void> {
  const dist = resolve(config.WEB_DIST_DIR)
  if (!existsSync(resolve(dist, 'index.html'))) return
  // serve: false — only reply.sendFile; the routes below decide the caching (the plugin's own per-file
  // routes would win over /assets/* and send a 1-hour max-age). preCompressed: the build writes
  // .br/.gz next to each text asset (vite.config.ts); the variant the browser accepts is sent with
  // its content-encoding and `Vary: Accept-Encoding`, else the original.
  await app.register(fastifyStatic, {
    root: dist,
    serve: false,
    index: false,
    maxAge: '1h',
    preCompressed: true,
  })
  const sendIndex = (reply: import('fastify').FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false })
  app.get('/', { schema: { hide: true } }, (_req, reply) => sendIndex(reply))
  const manifestPath = resolve(dist, '.vite/manifest.json')
  const manifest = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as ViteManifest)
    : null
  registerPrerenderedPages(app, readFileSync(resolve(dist, 'index.html'), 'utf8'), sendIndex, manifest)
  app.get('/assets/*', { schema: { hide: true } }, (req, reply) => {
    const file = (req.params as { '*': string })['*']
    // Hashed names change with their content: a year, immutable (send's own header would replace a
    // header set here, so it is asked for through send's options).
    return reply.sendFile(`assets/${file}`, { maxAge: '365d', immutable: true })
  })
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split('?')[0] ?? '/'
    const isApi =
      path.startsWith('/api/') || path === '/ws' || path.startsWith('/healthz') || path.startsWith('/readyz')
    const lastSegment = path.split('/').pop() ?? ''
    if (path === '/index.html') return sendIndex(reply)
    // The build's own bookkeeping (/.vite/manifest.json) is not a page asset.
    if (
      !isApi &&
      lastSegment.includes('.') &&
      !path.startsWith('/.') &&
      existsSync(resolve(dist, `.${path}`))
    ) {
      return reply.sendFile(path.slice(1))
    }
    if (isApi || !(req.headers.accept ?? '').includes('text/html')) return reply.callNotFound()
    return sendIndex(reply)
  })
}
