import { EventEmitter } from 'node:events'
import type { TRealtimeEvent } from '@common/events'

/**
 * Carries committed events to every app instance. Services publish only after their transaction
 * commits; delivery is at most once, so clients resync from the database when they reconnect.
 */
export interface EventBus {
  publish(event: TRealtimeEvent): Promise<void>
  subscribe(handler: (event: TRealtimeEvent) => void): () => void
  close(): Promise<void>
}

/** The single-instance bus: an in-process emitter. */
export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0)

  async publish(event: TRealtimeEvent): Promise<void> {
    this.emitter.emit('event', event)
  }

  subscribe(handler: (event: TRealtimeEvent) => void): () => void {
    this.emitter.on('event', handler)
    return () => this.emitter.off('event', handler)
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners()
  }
}
