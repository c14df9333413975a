import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config'
import { type EventBus, InProcessEventBus } from './event-bus'
import type { RedisBusOptions } from './redis-event-bus'

/** In-process by default; Redis pub/sub when REDIS_URL is set, so several instances share events. */
export async function createEventBus(
  config: Pick<Config, 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_CHANNEL'>>,
  log?: FastifyBaseLogger,
  options?: RedisBusOptions,
): Promise<EventBus> {
  if (!config.REDIS_URL) return new InProcessEventBus()
  const { RedisEventBus } = await import('./redis-event-bus')
  return RedisEventBus.connect(config.REDIS_URL, log, { channel: config.REDIS_CHANNEL, ...options })
}
