import type { TRealtimeEvent } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testRedisChannel } from '../test/test-redis'
import type { TBusEvent } from './access-events'
import { createEventBus } from './create-event-bus'
import { RedisEventBus } from './redis-event-bus'

/** Needs a Redis server: runs when TEST_REDIS_URL names one (CI sets it; `npm test` alone needs none). */
const REDIS_URL = process.env.TEST_REDIS_URL

let a: RedisEventBus
let b: RedisEventBus
let channel: string

describe.runIf(REDIS_URL)('the Redis event bus', () => {
  beforeAll(async () => {
    channel = testRedisChannel()
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

  it('joins the deployment its REDIS_CHANNEL names, and only that one', async () => {
    const ping = (message: string): TRealtimeEvent => ({
      type: 'system.ping',
      rooms: ['system:test'],
      at: new Date().toISOString(),
      message,
    })
    const sameWard = await createEventBus({ REDIS_URL: REDIS_URL!, REDIS_CHANNEL: channel })
    const otherWard = await createEventBus({ REDIS_URL: REDIS_URL!, REDIS_CHANNEL: `${channel}:other-ward` })
    try {
      const heardByOther: TBusEvent[] = []
      otherWard.subscribe((e) => heardByOther.push(e))
      const heardBySame = new Promise<TBusEvent>((resolve) => sameWard.subscribe(resolve))
      await a.publish(ping('phường này'))
      expect(await heardBySame).toMatchObject({ message: 'phường này' })
      // The other deployment's own events still go round; this one's never reached it.
      const ownSeen = new Promise<TBusEvent>((resolve) => otherWard.subscribe(resolve))
      await otherWard.publish(ping('phường kia'))
      await ownSeen
      expect(heardByOther).toEqual([expect.objectContaining({ message: 'phường kia' })])
    } finally {
      await sameWard.close()
      await otherWard.close()
    }
  })
})
