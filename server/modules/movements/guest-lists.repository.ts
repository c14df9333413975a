import { and, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { guestLists } from '../../db/schema/index'

export type GuestListRow = typeof guestLists.$inferSelect
export type GuestListInsert = typeof guestLists.$inferInsert

export const guestListsRepository = {
  async findByClientKey(
    db: DbOrTx,
    reporterId: string,
    clientKey: string,
  ): Promise<GuestListRow | undefined> {
    const [row] = await db
      .select()
      .from(guestLists)
      .where(and(eq(guestLists.reporterId, reporterId), eq(guestLists.clientKey, clientKey)))
    return row
  },

  async insert(db: DbOrTx, values: GuestListInsert): Promise<GuestListRow> {
    const [row] = await db.insert(guestLists).values(values).returning()
    return row!
  },
}
