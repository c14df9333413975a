import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proxiedTestDatabase } from '../test/tcp-proxy'
import { queryRows } from './query'

/**
 * A connection that dies between checkout and BEGIN (a database restart at the wrong moment) used
 * to leak its pool slot for good: with one slot, every later request waited for a connection that
 * never came, and closing the pool hung.
 */
describe.skipIf(!process.env.DATABASE_URL)('a PostgreSQL pool whose connections are cut', () => {
  let db: Awaited<ReturnType<typeof proxiedTestDatabase>>
  beforeAll(async () => {
    db = await proxiedTestDatabase({ poolMax: 1, connectTimeoutMs: 1_000 })
  })
  afterAll(() => db?.close())

  it('gets its slot back when a transaction fails at BEGIN, and closes without waiting', async () => {
    await db.proxied.db.execute(sql`select 1`) // one idle connection in the pool
    for (let cut = 0; cut < 3; cut++) {
      // Cut and ask at once: the pool still holds the idle connection and hands it out.
      db.proxy.cut('reset')
      const failed = await db.proxied.db.transaction((tx) => tx.execute(sql`select 1`)).catch((e) => e)
      expect(failed).toBeInstanceOf(Error)
      db.proxy.restore()
      // With the slot leaked this waits for a connection and fails after the connect timeout.
      expect(await queryRows(db.proxied.db, sql`select 2 as n`)).toEqual([{ n: 2 }])
    }
    const started = Date.now()
    await db.proxied.close()
    expect(Date.now() - started).toBeLessThan(1_000)
  })
})
