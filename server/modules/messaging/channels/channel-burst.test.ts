import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../../db/query'
import { inboundEvents } from '../../../db/schema/index'
import { buildArea, buildMessengerAccount, buildOfficer, buildWard } from '../../../test/factories/index'
import { FakeGraphApi } from '../../../test/fakes/fake-graph-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { messengerSignature } from './messenger.adapter'

let t: TestContext
const graph = new FakeGraphApi()
beforeAll(async () => {
  t = await createTestApp({ MESSENGER_GRAPH_URL: await graph.start() })
})
afterAll(async () => {
  await t.close()
  await graph.stop()
})

describe('a burst of inbound events', () => {
  it('stores all 1,000, loses none, and files each contact’s messages in the order they were sent', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    await buildOfficer(t.db, { areas: [area], unit: ward })
    const { account, secrets } = await buildMessengerAccount(t.db, t.config.CHANNEL_SECRET_KEY, {
      unit: ward,
    })
    const contacts = Array.from({ length: 20 }, (_, i) => `${9_100_000_000 + i}`)
    const start = Date.now()
    // 50 messages per contact, numbered; Messenger batches: 10 events per signed POST, 20 POSTs in flight.
    const items = Array.from({ length: 1000 }, (_, n) => {
      const sender = contacts[n % contacts.length]!
      const index = Math.floor(n / contacts.length)
      return {
        sender: { id: sender },
        recipient: { id: account.externalId },
        timestamp: start + n,
        message: { mid: `m_burst_${n}`, text: `tin ${index}` },
      }
    })
    const post = (batch: unknown[]) => {
      const body = Buffer.from(
        JSON.stringify({
          object: 'page',
          entry: [{ id: account.externalId, time: start, messaging: batch }],
        }),
      )
      return t.app.inject({
        method: 'POST',
        url: `/api/channels/messenger/${account.id}/webhook`,
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': messengerSignature(secrets.appSecret, body),
        },
        payload: body,
      })
    }
    // Each contact arrives from the poster's m.me link first, so every message is routed at once.
    for (const sender of contacts)
      await post([
        { sender: { id: sender }, timestamp: start - 1, referral: { ref: area.slug, source: 'SHORTLINK' } },
      ])
    const batches = Array.from({ length: 100 }, (_, i) => items.slice(i * 10, i * 10 + 10))
    const statuses: number[] = []
    for (let i = 0; i < batches.length; i += 20) {
      const answers = await Promise.all(batches.slice(i, i + 20).map(post))
      statuses.push(...answers.map((a) => a.statusCode))
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    const events = await t.db.select().from(inboundEvents).where(eq(inboundEvents.accountId, account.id))
    expect(events.filter((e) => e.platformMessageId.startsWith('m_burst_'))).toHaveLength(1000)

    while ((await t.jobs.drain()) > 0) {}
    const rows = await queryRows<{ platform_user_id: string; body: string; seq: number }>(
      t.db,
      sql`select x.platform_user_id, m.body, m.seq from messages m
          join external_contacts x on x.user_id = m.author_id
          where x.account_id = ${account.id} order by x.platform_user_id, m.seq`,
    )
    expect(rows).toHaveLength(1000)
    for (const sender of contacts) {
      const bodies = rows.filter((r) => r.platform_user_id === sender).map((r) => r.body)
      expect(bodies).toEqual(Array.from({ length: 50 }, (_, i) => `tin ${i}`))
    }
  }, 240_000)
})
