import { and, eq, isNull, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { groupQuestions } from '../../db/schema/index'
import { staffOverUnitSql } from '../../db/unit-path-sql'
import type { Scope } from '../../lib/scope'

export type GroupQuestionRow = typeof groupQuestions.$inferSelect

export interface GroupQuestionListRow {
  [k: string]: unknown
  id: string
  message_id: string
  group_id: string
  conversation_id: string
  group_name: string
  author_name: string | null
  body: string
  reason: 'mention' | 'moderator'
  created_at: Date | string
  answered_at: Date | string | null
}

export const groupQuestionsRepository = {
  /** Records the question once per message; a second mention or flag of it changes nothing. */
  async insert(
    tx: DbOrTx,
    values: typeof groupQuestions.$inferInsert,
  ): Promise<GroupQuestionRow | undefined> {
    const [row] = await tx.insert(groupQuestions).values(values).onConflictDoNothing().returning()
    return row
  },

  async get(db: DbOrTx, id: string): Promise<GroupQuestionRow | undefined> {
    const [row] = await db.select().from(groupQuestions).where(eq(groupQuestions.id, id))
    return row
  },

  /** Marks an open question answered, by its id or its message's; returns it when it was open. */
  async answer(
    tx: DbOrTx,
    which: { id: string } | { messageId: string },
    by: string,
  ): Promise<GroupQuestionRow | undefined> {
    const match =
      'id' in which ? eq(groupQuestions.id, which.id) : eq(groupQuestions.messageId, which.messageId)
    const [row] = await tx
      .update(groupQuestions)
      .set({ answeredAt: new Date(), answeredBy: by })
      .where(and(match, isNull(groupQuestions.answeredAt)))
      .returning()
    return row
  },

  /** Account deletion: the question stays for the police, the link to the moderator goes. */
  async forgetModerator(tx: DbOrTx, userId: string): Promise<void> {
    await tx.update(groupQuestions).set({ flaggedBy: null }).where(eq(groupQuestions.flaggedBy, userId))
  },

  /** Open questions of the groups the caller works (staff over the group's unit), oldest first. */
  async listOpen(db: DbOrTx, scope: Scope): Promise<GroupQuestionListRow[]> {
    return queryRows<GroupQuestionListRow>(
      db,
      sql`select q.id, q.message_id, q.group_id, m.conversation_id, g.name as group_name, a.display_name as author_name,
                 m.body, q.reason, q.created_at, q.answered_at
          from group_questions q
          join groups g on g.id = q.group_id
          join messages m on m.id = q.message_id
          left join users a on a.id = m.author_id
          where q.answered_at is null and m.deleted_at is null and m.hidden_at is null
            and ${staffOverUnitSql(scope, sql`q.unit_path`)}
          order by q.created_at asc limit 200`,
    )
  },
}
