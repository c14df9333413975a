import { describe, expect, it } from 'vitest'
import type { Actor } from '../../lib/actor'
import { accessChanged, resyncRequested, sessionsEnded } from '../../realtime/access-events'
import { type BusState, type EventBus, InProcessEventBus, publishAfterCommit } from '../../realtime/event-bus'
import type { ResolvedSession } from './session.service'
import { SessionCache } from './session-cache'

const SESSION = '11111111-1111-4111-8111-111111111111'
const OTHER_SESSION = '22222222-2222-4222-8222-222222222222'
const USER = '33333333-3333-4333-8333-333333333333'

function resolved(sessionId = SESSION, userId = USER, expiresInMs = 3600_000): ResolvedSession {
  const actor = { userId, sessionId, kind: 'resident', grants: [], assignedAreas: [] } as unknown as Actor
  const session = { id: sessionId, userId, expiresAt: new Date(Date.now() + expiresInMs) }
  return { actor, session, tokenHash: `hash-${sessionId}` } as unknown as ResolvedSession
}

/** A bus whose state a test sets (Redis away and back). */
class SwitchableBus implements EventBus {
  private readonly local = new InProcessEventBus()
  private current: BusState = 'shared'
  private readonly listeners = new Set<(state: BusState) => void>()
  publish = (event: Parameters<EventBus['publish']>[0]) => this.local.publish(event)
  subscribe: EventBus['subscribe'] = (handler) => this.local.subscribe(handler)
  close = () => this.local.close()
  state(): BusState {
    return this.current
  }
  onStateChange(listener: (state: BusState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  set(state: BusState) {
    this.current = state
    for (const l of this.listeners) l(state)
  }
}

const cached = (bus: EventBus = new InProcessEventBus()) => {
  const cache = new SessionCache(bus)
  cache.set('hash-a', resolved(), cache.epoch)
  cache.set('hash-b', resolved(OTHER_SESSION), cache.epoch)
  return cache
}

describe('the WebSocket session cache never serves an ended session', () => {
  it('drops a signed-out session as soon as this instance publishes the event, keeping the others', async () => {
    const bus = new InProcessEventBus()
    const cache = cached(bus)
    expect(cache.get('hash-a')?.session.id).toBe(SESSION)
    await publishAfterCommit(bus, sessionsEnded([SESSION]))
    expect(cache.get('hash-a')).toBeUndefined()
    expect(cache.get('hash-b')?.session.id).toBe(OTHER_SESSION)
  })

  it('drops every session of a deleted account and of a user whose rights changed (event from another instance)', async () => {
    const bus = new InProcessEventBus()
    const cache = cached(bus)
    await bus.publish(sessionsEnded([], [USER]))
    expect(cache.size).toBe(0)
    cache.set('hash-a', resolved(), cache.epoch)
    await bus.publish(accessChanged([USER]))
    expect(cache.get('hash-a')).toBeUndefined()
  })

  it('does not keep a lookup that began before a revocation arrived (the database may have answered first)', async () => {
    const bus = new InProcessEventBus()
    const cache = new SessionCache(bus)
    const before = cache.epoch
    await bus.publish(sessionsEnded([SESSION]))
    cache.set('hash-a', resolved(), before)
    expect(cache.get('hash-a')).toBeUndefined()
    cache.set('hash-a', resolved(), cache.epoch)
    expect(cache.get('hash-a')?.session.id).toBe(SESSION)
  })

  it('empties itself and stays empty while Redis is away (other instances’ revocations cannot reach it)', () => {
    const bus = new SwitchableBus()
    const cache = cached(bus)
    bus.set('degraded')
    expect(cache.get('hash-a')).toBeUndefined()
    cache.set('hash-a', resolved(), cache.epoch)
    expect(cache.get('hash-a')).toBeUndefined()
    bus.set('shared')
    cache.set('hash-a', resolved(), cache.epoch)
    expect(cache.get('hash-a')?.session.id).toBe(SESSION)
  })

  it('forgets everything on a resync request, and never outlives the session’s own expiry', async () => {
    const bus = new InProcessEventBus()
    const cache = cached(bus)
    await bus.publish(resyncRequested('another-instance'))
    expect(cache.size).toBe(0)
    cache.set('hash-c', resolved(SESSION, USER, -1), cache.epoch)
    expect(cache.get('hash-c')).toBeUndefined()
  })
})
