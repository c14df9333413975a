import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'

export const alertsPersonalDataRepository = {
  answers: (db: DbOrTx, userId: string) =>
    queryRows<{ id: string; alert_id: string; headline: string; body: string; created_at: Date | string }>(
      db,
      sql`select x.id, x.alert_id, a.headline, x.body, x.created_at
          from alert_answers x join alerts a on a.id = x.alert_id where x.author_id = ${userId} order by x.created_at`,
    ),

  received: (db: DbOrTx, userId: string) =>
    queryRows<{
      alert_id: string
      headline: string
      delivered_at: Date | string | null
      read_at: Date | string | null
      answered_at: Date | string | null
    }>(
      db,
      sql`select r.alert_id, a.headline, r.delivered_at, r.read_at, r.answered_at
          from alert_recipients r join alerts a on a.id = r.alert_id where r.user_id = ${userId} order by r.created_at`,
    ),

  /** Answers emptied (a tip made from one is the tips module's), delivery records deleted. */
  async erase(tx: DbOrTx, userId: string): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      tx,
      sql`with u as (update alert_answers set body = '' where author_id = ${userId} returning 1)
          select count(*)::int as n from u`,
    )
    await tx.execute(sql`delete from alert_recipients where user_id = ${userId}`)
    return rows[0]?.n ?? 0
  },
}
