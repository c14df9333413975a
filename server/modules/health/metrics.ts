import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Db } from '../../db/client'
import type { RealtimeHub } from '../../realtime/hub'
import type { PushNotifier } from '../notifications/push-notifier'
import { jobsByQueue } from './health.repository'

export interface MetricsSources {
  db: Db
  hub: Pick<RealtimeHub, 'connectionCount' | 'stats'>
  push: Pick<PushNotifier, 'stats'>
}

/**
 * One registry per app (tests build many apps in one process; prom-client's global registry would
 * refuse the second). Counters kept elsewhere (the hub's, the push notifier's) are read at scrape
 * time, so those modules know nothing of Prometheus.
 */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'nhipcau_' })

  const requests = new Counter({
    name: 'nhipcau_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'nhipcau_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  new Gauge({
    name: 'nhipcau_websocket_connections',
    help: 'WebSocket connections open on this instance.',
    registers: [registry],
    collect() {
      this.set(sources.hub.connectionCount)
    },
  })
  new Counter({
    name: 'nhipcau_realtime_events_fanned_out_total',
    help: 'Realtime events that reached at least one socket on this instance.',
    registers: [registry],
    collect() {
      this.reset()
      this.inc(sources.hub.stats.eventsFannedOut)
    },
  })
  new Counter({
    name: 'nhipcau_realtime_frames_sent_total',
    help: 'Event frames written to sockets on this instance (one per socket per event).',
    registers: [registry],
    collect() {
      this.reset()
      this.inc(sources.hub.stats.framesSent)
    },
  })
  new Counter({
    name: 'nhipcau_push_results_total',
    help: 'Web Push deliveries by outcome: delivered, gone (subscription removed), refused, failed (retried).',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const [outcome, n] of Object.entries(sources.push.stats)) this.inc({ outcome }, n)
    },
  })
  const due = new Gauge({
    name: 'nhipcau_jobs_due',
    help: 'Jobs due and not finished, by queue (the queue depth).',
    labelNames: ['queue'] as const,
    registers: [registry],
  })
  const oldest = new Gauge({
    name: 'nhipcau_jobs_oldest_wait_seconds',
    help: 'How long the oldest due job has waited, by queue (the queue age).',
    labelNames: ['queue'] as const,
    registers: [registry],
  })
  const dead = new Gauge({
    name: 'nhipcau_jobs_dead',
    help: 'Jobs that failed every attempt, by queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
  })

  return {
    contentType: registry.contentType,
    /** Called when a request ends; `route` is the pattern (`/api/alerts/:id`), never the raw URL. */
    observeRequest(method: string, route: string, status: number, seconds: number) {
      requests.inc({ method, route, status: String(status) })
      duration.observe({ method, route }, seconds)
    },
    /** The whole text exposition; the job figures are read from the database once per scrape. */
    async render(): Promise<string> {
      const rows = await jobsByQueue(sources.db).catch(() => [])
      for (const g of [due, oldest, dead]) g.reset()
      for (const r of rows) {
        due.set({ queue: r.queue }, r.due)
        oldest.set({ queue: r.queue }, r.oldestWaitSeconds)
        dead.set({ queue: r.queue }, r.dead)
      }
      return registry.metrics()
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
