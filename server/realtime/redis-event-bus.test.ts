import type { TRealtimeEvent } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testRedisChannel } from '../test/test-redis'
import type { TBusEvent } from './access-events'
import { RedisEventBus } from './redis-event-bus'

/** Needs a Redis server: runs when TEST_REDIS_URL names one (CI sets it; `npm test` alone needs none). */
const REDIS_URL = process.env.TEST_REDIS_URL

let a: RedisEventBus
let b: RedisEventBus

describe.runIf(REDIS_URL)('the Redis event bus', () => {
  beforeAll(async () => {
    const channel = testRedisChannel()
    a = await RedisEventBus.connect(REDIS_URL!, undefined, { channel })
    b = await RedisEventBus.connect(REDIS_URL!, undefined, { channel })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
  })

  it('delivers an event published on one instance to every instance', async () => {
    const seenByB = new Promise<TBusEvent>((resolve) => b.subscribe(resolve))
    const seenByA = new Promise<TBusEvent>((resolve) => a.subscribe(resolve))
    const event: TRealtimeEvent = {
      type: 'system.ping',
      rooms: ['system:test'],
      at: new Date().toISOString(),
      message: `từ phiên bản A ${Math.random()}`,
    }
    await a.publish(event)
    expect(await seenByB).toEqual(event)
    expect(await seenByA).toEqual(event)
  })
})
