import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'

export const scamNumbersPersonalDataRepository = {
  reports: (db: DbOrTx, userId: string) =>
    queryRows<{
      id: string
      phone: string
      claimed_as: string
      called_at: Date | string
      amount_vnd: number | null
      note: string | null
      status: string
      created_at: Date | string
    }>(
      db,
      sql`select r.id, n.phone, r.claimed_as, r.called_at, r.amount_vnd::float8 as amount_vnd, r.note,
                 r.status, r.created_at
            from scam_reports r join scam_numbers n on n.id = r.number_id
           where r.reporter_id = ${userId} order by r.created_at`,
    ),

  /** The note and amount go; the report stays (an anonymised account) so the number's counts stay true. */
  async erase(tx: DbOrTx, userId: string): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      tx,
      sql`with u as (update scam_reports set note = null, amount_vnd = null
                      where reporter_id = ${userId} returning 1)
          select count(*)::int as n from u`,
    )
    return rows[0]?.n ?? 0
  },
}
