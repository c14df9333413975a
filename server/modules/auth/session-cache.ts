import { isAccessEvent, type TAccessEvent, type TBusEvent } from '../../realtime/access-events'
import { type EventBus, watchOwnPublishes } from '../../realtime/event-bus'
import type { ResolvedSession } from './session.service'

/** A cached session is used for this long at most; access events drop it sooner. */
export const SESSION_CACHE_TTL_MS = 30_000
const MAX_ENTRIES = 100_000

interface Entry {
  resolved: ResolvedSession
  /** Date.now() after which the entry is not used (the TTL, or the session's own expiry). */
  until: number
}

/**
 * Live sessions resolved in the last few seconds, by token hash, for every request and WebSocket
 * upgrade: a reconnect storm (a restart, Redis back, a load balancer moving clients) then costs one
 * map lookup per socket and per catch-up request instead of a query.
 *
 * Never serves an ended session:
 * - every access event drops what it concerns before anything else on this instance acts on it
 *   (sessions ended: those sessions, or every session of a deleted user; rights changed: the
 *   user's sessions; resync: everything). Events published here are applied synchronously as they
 *   are published; other instances apply them as Redis delivers them.
 * - a lookup that started before an access event is not stored (the database may have answered
 *   before the revocation committed): `epoch` counts events, and `set` refuses a stale one.
 * - while the bus is degraded (Redis away), events of other instances cannot reach this one: the
 *   cache is emptied and bypassed until the bus is shared again.
 * - unknown tokens are never cached, so a new sign-in is seen at once.
 * What no event announces (a session expiring, a row changed by hand) is bounded by the TTL and
 * the session's own expiry, and the hub's periodic re-check still asks the database.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>()
  private epochValue = 0
  private bypass = false
  private readonly stops: (() => void)[] = []

  constructor(
    bus: EventBus,
    private readonly ttlMs = SESSION_CACHE_TTL_MS,
  ) {
    const onEvent = (event: TBusEvent) => {
      if (isAccessEvent(event)) this.apply(event)
    }
    this.stops.push(
      bus.subscribe(onEvent),
      watchOwnPublishes(bus, onEvent),
      bus.onStateChange((state) => this.onBusState(state)),
    )
    this.onBusState(bus.state())
  }

  /** Counts access events seen; pass the value read before a lookup to `set`. */
  get epoch(): number {
    return this.epochValue
  }

  get size(): number {
    return this.entries.size
  }

  get(tokenHash: string): ResolvedSession | undefined {
    if (this.bypass) return undefined
    const entry = this.entries.get(tokenHash)
    if (!entry) return undefined
    if (Date.now() >= entry.until) {
      this.entries.delete(tokenHash)
      return undefined
    }
    return entry.resolved
  }

  /** Keeps a live session unless an access event arrived since the lookup began (`epochAtStart`). */
  set(tokenHash: string, resolved: ResolvedSession, epochAtStart: number): void {
    if (this.bypass || epochAtStart !== this.epochValue) return
    if (this.entries.size >= MAX_ENTRIES) this.evictOldest()
    const until = Math.min(Date.now() + this.ttlMs, resolved.session.expiresAt.getTime())
    this.entries.set(tokenHash, { resolved, until })
  }

  /** Drops what an access event concerns (the hub never reads this cache: their order does not matter). */
  apply(event: TAccessEvent): void {
    this.epochValue++
    if (event.type === 'access.resync') {
      this.entries.clear()
      return
    }
    const sessionIds = new Set(event.type === 'access.sessions_ended' ? event.sessionIds : [])
    const userIds = new Set(event.userIds)
    for (const [key, { resolved }] of this.entries)
      if (sessionIds.has(resolved.session.id) || userIds.has(resolved.actor.userId)) this.entries.delete(key)
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop()
    this.entries.clear()
  }

  private onBusState(state: ReturnType<EventBus['state']>): void {
    this.epochValue++
    this.entries.clear()
    this.bypass = state === 'degraded'
  }

  /** Maps keep insertion order: the first tenth are the oldest entries. */
  private evictOldest(): void {
    let n = Math.ceil(MAX_ENTRIES / 10)
    for (const key of this.entries.keys()) {
      if (n-- <= 0) break
      this.entries.delete(key)
    }
  }
}
