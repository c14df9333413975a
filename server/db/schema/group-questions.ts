import { sql } from 'drizzle-orm'
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { createdAt, id } from './columns'
import { groups, messages } from './messaging'
import { users } from './organisation'

export const groupQuestionReasons = ['mention', 'moderator'] as const

/**
 * A resident's message in a group that waits for the police: the resident asked the area officer
 * (a mention), or a moderator passed it on. It stays in the officers' inbox until a staff member
 * answers it in the group (a reply to it) or marks it answered.
 */
export const groupQuestions = pgTable(
  'group_questions',
  {
    id: id(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** The group's unit path when asked: scopes which staff see the question. */
    unitPath: text('unit_path').notNull(),
    reason: text('reason', { enum: groupQuestionReasons }).notNull(),
    flaggedBy: uuid('flagged_by').references(() => users.id),
    createdAt: createdAt(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: uuid('answered_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('group_questions_message_key').on(t.messageId),
    index('group_questions_open_idx')
      .on(t.unitPath.op('text_pattern_ops'))
      .where(sql`${t.answeredAt} is null`),
  ],
)
