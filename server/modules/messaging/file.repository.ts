import { and, eq, inArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { type MessageAttachment, messageFiles } from '../../db/schema/index'

export type MessageFileRow = typeof messageFiles.$inferSelect

export const fileRepository = {
  async insert(db: DbOrTx, values: typeof messageFiles.$inferInsert): Promise<MessageFileRow> {
    const [row] = await db.insert(messageFiles).values(values).returning()
    return row!
  },

  /** Serialises one person's uploads until the transaction ends, on every instance. */
  async lockUploader(tx: DbOrTx, userId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`message-files:${userId}`}))`)
  },

  /** Bytes of every file the person sent in conversations and groups (thumbnails not counted). */
  async bytesSentBy(db: DbOrTx, userId: string): Promise<number> {
    const [row] = await queryRows<{ bytes: number }>(
      db,
      sql`select coalesce(sum(size), 0)::float8 as bytes from message_files where uploader_id = ${userId}`,
    )
    return row?.bytes ?? 0
  },

  async get(db: DbOrTx, id: string): Promise<MessageFileRow | undefined> {
    const [row] = await db.select().from(messageFiles).where(eq(messageFiles.id, id))
    return row
  },

  /** Whether the file belongs to a message that was deleted or hidden by a moderator. */
  async isWithdrawn(db: DbOrTx, fileId: string, conversationId: string): Promise<boolean> {
    const rows = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from messages where conversation_id = ${conversationId}
          and attachments @> ${JSON.stringify([{ fileId }])}::jsonb and (deleted_at is not null or hidden_at is not null)`,
    )
    return Number(rows[0]?.n ?? 0) > 0
  },

  /** The uploader's own files in this conversation, in the order asked, as message attachments. */
  async attachmentsFor(
    db: DbOrTx,
    ids: string[],
    conversationId: string,
    uploaderId: string,
  ): Promise<MessageAttachment[]> {
    if (!ids.length) return []
    const rows = await db
      .select()
      .from(messageFiles)
      .where(
        and(
          inArray(messageFiles.id, ids),
          eq(messageFiles.conversationId, conversationId),
          eq(messageFiles.uploaderId, uploaderId),
        ),
      )
    const byId = new Map(rows.map((r) => [r.id, r]))
    return ids.flatMap((id) => {
      const r = byId.get(id)
      if (!r) return []
      return [
        {
          fileId: r.id,
          kind: r.kind,
          mime: r.mime,
          name: r.name,
          size: r.size,
          ...(r.width ? { width: r.width } : {}),
          ...(r.height ? { height: r.height } : {}),
          ...(r.durationMs ? { durationMs: r.durationMs } : {}),
        },
      ]
    })
  },
}
