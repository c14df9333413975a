import type { FastifyBaseLogger } from 'fastify'
import { Redis } from 'ioredis'
import { type TBusEvent, ZBusEvent } from './access-events'
import type { EventBus } from './event-bus'

const CHANNEL = 'nhipcau:events'

/**
 * Fan-out between app instances through Redis pub/sub. Every instance, the publisher included,
 * receives each event from Redis and delivers it to its own sockets. Redis keeps nothing: events
 * are ids of rows already committed, and a client that missed one resyncs from the database.
 */
export class RedisEventBus implements EventBus {
  private readonly handlers = new Set<(event: TBusEvent) => void>()

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly log?: FastifyBaseLogger,
  ) {
    sub.on('message', (_channel: string, raw: string) => this.onMessage(raw))
  }

  static async connect(url: string, log?: FastifyBaseLogger): Promise<RedisEventBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true }
    const pub = new Redis(url, options)
    const sub = new Redis(url, { ...options, enableAutoPipelining: false })
    for (const client of [pub, sub]) client.on('error', (err) => log?.warn({ err }, 'redis connection error'))
    await Promise.all([pub.connect(), sub.connect()])
    await sub.subscribe(CHANNEL)
    return new RedisEventBus(pub, sub, log)
  }

  async publish(event: TBusEvent): Promise<void> {
    await this.pub.publish(CHANNEL, JSON.stringify(event))
  }

  subscribe(handler: (event: TBusEvent) => void): () => void {
    this.handlers.add(handler)
    return () => this.handlers.delete(handler)
  }

  private onMessage(raw: string): void {
    let event: TBusEvent
    try {
      event = ZBusEvent.parse(JSON.parse(raw))
    } catch (err) {
      this.log?.warn({ err }, 'ignored a malformed event from redis')
      return
    }
    for (const handler of this.handlers) handler(event)
  }

  async close(): Promise<void> {
    this.handlers.clear()
    await Promise.allSettled([this.sub.quit(), this.pub.quit()])
  }
}
