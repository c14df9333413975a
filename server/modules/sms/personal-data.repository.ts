import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'

const count = async (db: DbOrTx, q: ReturnType<typeof sql>) =>
  (await queryRows<{ n: number }>(db, sql`with x as (${q} returning 1) select count(*)::int as n from x`))[0]
    ?.n ?? 0

/** The person's SMS: those sent to them (the ledger) and those they sent from their number. */
export const smsPersonalDataRepository = {
  sent: (db: DbOrTx, userId: string) =>
    queryRows<{
      id: string
      purpose: string
      phone: string
      text: string
      segments: number
      status: string
      created_at: Date | string
      sent_at: Date | string | null
    }>(
      db,
      sql`select id, purpose, phone, text, segments, status, created_at, sent_at
            from sms_sends where user_id = ${userId} order by created_at`,
    ),

  received: (db: DbOrTx, userId: string) =>
    queryRows<{ id: number; content: string; received_at: Date | string; status: string }>(
      db,
      sql`select i.id, i.content, i.received_at, i.status
            from sms_inbound i join users u on u.phone = i.sender
           where u.id = ${userId} order by i.received_at, i.id`,
    ),

  /**
   * The ledger rows lose the number and the text (the unit's spending stays true); the SMS received
   * from the person's number are deleted (those filed live on as messages, erased with them).
   */
  async erase(tx: DbOrTx, userId: string): Promise<number> {
    const sent = await count(
      tx,
      sql`update sms_sends set phone = '', text = '' where user_id = ${userId} and (phone <> '' or text <> '')`,
    )
    const received = await count(
      tx,
      sql`delete from sms_inbound i using users u where u.id = ${userId} and u.phone = i.sender`,
    )
    return sent + received
  },
}
