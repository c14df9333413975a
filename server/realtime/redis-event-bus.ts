import type { FastifyBaseLogger } from 'fastify'
import { Redis } from 'ioredis'
import { type TBusEvent, ZBusEvent } from './access-events'
import type { BusState, EventBus } from './event-bus'

const CHANNEL = 'nhipcau:events'

/**
 * Fan-out between app instances through Redis pub/sub. Every instance, the publisher included,
 * receives each event from Redis and delivers it to its own sockets. Redis keeps nothing: events
 * are ids of rows already committed, and a client that missed one resyncs from the database.
 *
 * While Redis is away the bus is `degraded`: events go straight to this instance's own sockets
 * (nothing waits for Redis), and ioredis keeps reconnecting; when both connections are back the
 * bus is `shared` again and the hub asks its clients to resync what other instances sent meanwhile.
 */
export class RedisEventBus implements EventBus {
  private readonly handlers = new Set<(event: TBusEvent) => void>()
  private readonly stateListeners = new Set<(state: BusState) => void>()
  private current: BusState = 'shared'
  private closing = false

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly log?: FastifyBaseLogger,
  ) {
    sub.on('message', (_channel: string, raw: string) => this.onMessage(raw))
    for (const client of [pub, sub]) {
      client.on('ready', () => this.updateState())
      client.on('close', () => this.updateState())
    }
  }

  static async connect(url: string, log?: FastifyBaseLogger): Promise<RedisEventBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true }
    // No offline queue for publishing: while Redis is away a publish fails at once and the event
    // is delivered locally, instead of waiting in a queue for a Redis that may be gone for minutes.
    const pub = new Redis(url, { ...options, enableOfflineQueue: false })
    const sub = new Redis(url, { ...options, enableAutoPipelining: false })
    for (const client of [pub, sub])
      client.on('error', (err) => log?.debug({ err }, 'redis connection error'))
    await Promise.all([pub.connect(), sub.connect()])
    await sub.subscribe(CHANNEL)
    return new RedisEventBus(pub, sub, log)
  }

  async publish(event: TBusEvent): Promise<void> {
    let deliverHere = this.sub.status !== 'ready'
    if (this.pub.status === 'ready') {
      try {
        await this.pub.publish(CHANNEL, JSON.stringify(event))
      } catch {
        deliverHere = true
      }
    } else deliverHere = true
    // Redis will not bring this event back to us: this instance's own clients get it directly.
    if (deliverHere) this.dispatch(event)
  }

  state(): BusState {
    return this.current
  }

  onStateChange(listener: (state: BusState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  private updateState(): void {
    if (this.closing) return
    const next: BusState = this.pub.status === 'ready' && this.sub.status === 'ready' ? 'shared' : 'degraded'
    if (next === this.current) return
    this.current = next
    for (const listener of this.stateListeners) listener(next)
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
    this.dispatch(event)
  }

  private dispatch(event: TBusEvent): void {
    for (const handler of this.handlers) handler(event)
  }

  async close(): Promise<void> {
    this.closing = true
    this.handlers.clear()
    this.stateListeners.clear()
    await Promise.allSettled([this.sub.quit(), this.pub.quit()])
  }
}
