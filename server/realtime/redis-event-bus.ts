import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { Redis } from 'ioredis'
import { resyncRequested, type TBusEvent, ZBusEvent } from './access-events'
import type { BusState, EventBus } from './event-bus'

/** The one channel every instance of a deployment publishes on and listens to (REDIS_CHANNEL). */
export const DEFAULT_CHANNEL = 'nhipcau:events'

export interface RedisBusOptions {
  /** How long start-up waits for Redis before going on degraded. */
  waitMs?: number
  /**
   * REDIS_CHANNEL: deployments (and tests running side by side) on one Redis each take their own,
   * so they never hear each other.
   */
  channel?: string
}

/**
 * Fan-out between app instances through Redis pub/sub. Every instance, the publisher included,
 * receives each event from Redis and delivers it to its own sockets. Redis keeps nothing: events
 * are ids of rows already committed, and a client that missed one resyncs from the database.
 *
 * While Redis is away the bus is `degraded`: events go straight to this instance's own sockets
 * (nothing waits for Redis), and ioredis keeps reconnecting; when both connections are back (and
 * subscribed) the bus is `shared` again and the hub asks its clients to resync what other
 * instances sent meanwhile; if it delivered events to its own clients only, it asks every other
 * instance to resync its clients too (they may have come back first). Redis away at startup is the
 * same case: the instance starts degraded.
 */
export class RedisEventBus implements EventBus {
  private readonly handlers = new Set<(event: TBusEvent) => void>()
  private readonly stateListeners = new Set<(state: BusState) => void>()
  private current: BusState = 'degraded'
  /** ioredis subscribes again by itself after a reconnect, once the first SUBSCRIBE has succeeded. */
  private subscribed = false
  private closing = false
  /** Names this bus in its resync requests. */
  private readonly id = randomUUID()
  /** An event went to this instance's clients only (Redis away): others must resync when it is back. */
  private deliveredHereOnly = false

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly channel: string,
    private readonly log?: FastifyBaseLogger,
  ) {
    sub.on('message', (_channel: string, raw: string) => this.onMessage(raw))
    sub.on('ready', () => void this.subscribeOnce())
    for (const client of [pub, sub]) {
      client.on('ready', () => this.updateState())
      client.on('close', () => this.updateState())
    }
  }

  /**
   * Starts both connections and waits up to `waitMs` for them. A Redis that is down (refused) or
   * slow (no answer within waitMs) does not stop the instance from starting: it starts `degraded`
   * and ioredis keeps trying.
   */
  static async connect(
    url: string,
    log?: FastifyBaseLogger,
    { waitMs = 3_000, channel = DEFAULT_CHANNEL }: RedisBusOptions = {},
  ): Promise<RedisEventBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true }
    // No offline queue for publishing: while Redis is away a publish fails at once and the event
    // is delivered locally, instead of waiting in a queue for a Redis that may be gone for minutes.
    const pub = new Redis(url, { ...options, enableOfflineQueue: false })
    const sub = new Redis(url, { ...options, enableAutoPipelining: false })
    for (const client of [pub, sub])
      client.on('error', (err) => log?.debug({ err }, 'redis connection error'))
    const bus = new RedisEventBus(pub, sub, channel, log)
    const shared = new Promise<void>((resolve) => {
      const unwatch = bus.onStateChange((state) => {
        if (state !== 'shared') return
        unwatch()
        resolve()
      })
    })
    let timer: NodeJS.Timeout | undefined
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs)
    })
    // A refused first attempt settles at once (ioredis goes on reconnecting all the same): the
    // instance starts degraded then, and waits for the subscription only when both connected.
    const firstAttempts = Promise.allSettled([pub.connect(), sub.connect()])
    const connected = firstAttempts.then(async (results) => {
      if (results.every((r) => r.status === 'fulfilled')) await shared
    })
    await Promise.race([connected, waited])
    clearTimeout(timer)
    return bus
  }

  private async subscribeOnce(): Promise<void> {
    if (this.subscribed || this.closing) return
    try {
      await this.sub.subscribe(this.channel)
      this.subscribed = true
    } catch (err) {
      // The connection dropped in between: the next 'ready' tries again.
      this.log?.debug({ err }, 'redis subscribe failed')
    }
    this.updateState()
  }

  async publish(event: TBusEvent): Promise<void> {
    let deliverHere = this.sub.status !== 'ready'
    let shared = false
    if (this.pub.status === 'ready') {
      try {
        await this.pub.publish(this.channel, JSON.stringify(event))
        shared = true
      } catch {
        deliverHere = true
      }
    } else deliverHere = true
    if (!shared) this.deliveredHereOnly = true
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
    const next: BusState =
      this.pub.status === 'ready' && this.sub.status === 'ready' && this.subscribed ? 'shared' : 'degraded'
    if (next === this.current) return
    this.current = next
    for (const listener of this.stateListeners) listener(next)
    if (next === 'shared' && this.deliveredHereOnly) void this.askOthersToResync()
  }

  /**
   * The other instances may have come back to Redis (and resynced their clients) before this one:
   * what it delivered meanwhile to its own clients only would never reach theirs. They are asked to
   * resync once more. A request that cannot be sent is tried again at the next return.
   */
  private async askOthersToResync(): Promise<void> {
    this.deliveredHereOnly = false
    try {
      await this.pub.publish(this.channel, JSON.stringify(resyncRequested(this.id)))
    } catch (err) {
      this.deliveredHereOnly = true
      this.log?.debug({ err }, 'redis resync request not sent')
    }
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
    // Our own clients were asked to resync when this bus came back.
    if (event.type === 'access.resync' && event.from === this.id) return
    this.dispatch(event)
  }

  private dispatch(event: TBusEvent): void {
    for (const handler of this.handlers) handler(event)
  }

  async close(): Promise<void> {
    this.closing = true
    this.handlers.clear()
    this.stateListeners.clear()
    // QUIT only over a live connection; one still trying to reconnect is simply stopped.
    await Promise.allSettled(
      [this.sub, this.pub].map((client) => (client.status === 'ready' ? client.quit() : client.disconnect())),
    )
  }
}
