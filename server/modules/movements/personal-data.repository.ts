import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows, uuidArray } from '../../db/query'

export const movementsPersonalDataRepository = {
  reports: (db: DbOrTx, userId: string) =>
    queryRows<{
      id: string
      kind: string
      status: string
      address: string
      full_name: string
      id_kind: string
      id_number: string
      nationality: string | null
      from_date: string
      to_date: string | null
      destination: string | null
      reason: string | null
      note: string | null
      review_note: string | null
      created_at: Date | string
    }>(
      db,
      sql`select id, kind, status, address, full_name, id_kind, id_number, nationality, from_date::text,
                 to_date::text, destination, reason, note, review_note, created_at
          from residence_reports where reporter_id = ${userId} order by created_at`,
    ),

  /** Confirmed reports within 24 months of closing, and the register entries they made. */
  held: (db: DbOrTx, userId: string) =>
    queryRows<{ id: string; person_ids: string[] | null }>(
      db,
      sql`select r.id, array_remove(array_agg(distinct e.person_id), null) as person_ids
          from residence_reports r left join register_events e on e.report_id = r.id
          where r.reporter_id = ${userId} and r.status = 'confirmed'
            and (r.closed_at is null or r.closed_at > now() - interval '24 months')
          group by r.id`,
    ),

  /** Reports the police never confirmed: the people in them are erased from the report. */
  async erase(tx: DbOrTx, ids: string[]): Promise<number> {
    if (!ids.length) return 0
    await tx.execute(sql`update residence_reports set full_name = '', id_number = '', address = '',
      nationality = null, destination = null, reason = null, note = null, arrival_time = null,
      review_note = null, updated_at = now() where id = any(${uuidArray(ids)})`)
    return ids.length
  },
}
