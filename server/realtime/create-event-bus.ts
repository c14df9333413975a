import type { Config } from '../config'
import { type EventBus, InProcessEventBus } from './event-bus'

/** In-process by default; the Redis bus (messaging issue) takes over when REDIS_URL is set. */
export async function createEventBus(_config: Pick<Config, 'REDIS_URL'>): Promise<EventBus> {
  return new InProcessEventBus()
}
