import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'

export const pushPersonalDataRepository = {
  subscriptions: (db: DbOrTx, userId: string) =>
    queryRows<{ id: string; endpoint: string; user_agent: string | null; created_at: Date | string }>(
      db,
      sql`select id, endpoint, user_agent, created_at from push_subscriptions where user_id = ${userId} order by created_at`,
    ),

  /** The devices and every push job addressed to them (queued or done: they hold message previews). */
  async erase(tx: DbOrTx, userId: string): Promise<number> {
    await tx.execute(sql`delete from jobs where queue = 'push.deliver'
      and payload->>'subscriptionId' in (select id::text from push_subscriptions where user_id = ${userId})`)
    const rows = await queryRows<{ n: number }>(
      tx,
      sql`with d as (delete from push_subscriptions where user_id = ${userId} returning 1) select count(*)::int as n from d`,
    )
    return rows[0]?.n ?? 0
  },
}
