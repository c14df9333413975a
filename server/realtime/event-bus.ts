import { EventEmitter } from 'node:events'
import type { TBusEvent } from './access-events'

/**
 * Carries committed events to every app instance. Services publish only after their transaction
 * commits; delivery is at most once, so clients resync from the database when they reconnect.
 */
export interface EventBus {
  publish(event: TBusEvent): Promise<void>
  subscribe(handler: (event: TBusEvent) => void): () => void
  close(): Promise<void>
  /** `local`: one instance, nothing shared; `shared`: Redis carries events; `degraded`: Redis is away. */
  state(): BusState
  /** Called when the shared bus goes away or comes back (the hub logs it and asks clients to resync). */
  onStateChange(listener: (state: BusState) => void): () => void
}

export type BusState = 'local' | 'shared' | 'degraded'

/** Anything with a `warn` (Fastify's logger, pino, a test spy). */
interface WarnLog {
  warn(obj: unknown, msg?: string): void
}

/**
 * The one way services publish: after their transaction has committed, and never failing the
 * request. The write is done; delivery is at most once by design and clients resync from the
 * database (GET /api/sync, the lists) when they reconnect, so a bus error is only logged.
 */
export async function publishAfterCommit(bus: EventBus, event: TBusEvent, log?: WarnLog): Promise<void> {
  for (const watcher of ownPublishWatchers.get(bus) ?? []) watcher(event)
  try {
    await bus.publish(event)
  } catch (err) {
    log?.warn({ err, type: event.type }, 'event not published (clients resync on reconnect)')
  }
}

const ownPublishWatchers = new WeakMap<EventBus, Set<(event: TBusEvent) => void>>()

/**
 * Runs `watcher` on every event this instance publishes, synchronously, before it travels: a cache
 * of sessions drops a revoked one here at once, without waiting for Redis to echo the event back.
 */
export function watchOwnPublishes(bus: EventBus, watcher: (event: TBusEvent) => void): () => void {
  const watchers = ownPublishWatchers.get(bus) ?? new Set()
  ownPublishWatchers.set(bus, watchers)
  watchers.add(watcher)
  return () => watchers.delete(watcher)
}

/** The single-instance bus: an in-process emitter. */
export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0)

  async publish(event: TBusEvent): Promise<void> {
    this.emitter.emit('event', event)
  }

  subscribe(handler: (event: TBusEvent) => void): () => void {
    this.emitter.on('event', handler)
    return () => this.emitter.off('event', handler)
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners()
  }

  state(): BusState {
    return 'local'
  }

  onStateChange(): () => void {
    return () => {}
  }
}
