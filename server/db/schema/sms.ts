import { sql } from 'drizzle-orm'
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type { TAlertKind } from '../../../common/schemas/alerts'
import {
  smsEncodingValues,
  smsInboundStatusValues,
  smsPurposeValues,
  smsSendStatusValues,
} from '../../../common/schemas/sms'
import { alerts } from './alerts'
import { createdAt, id } from './columns'
import { messages } from './messaging'
import { units, users } from './organisation'

/** A unit's SMS budget (đồng per calendar month, Vietnam time) and the alert kinds it also sends by SMS. */
export const smsSettings = pgTable('sms_settings', {
  unitId: uuid('unit_id')
    .primaryKey()
    .references(() => units.id),
  monthlyBudgetVnd: integer('monthly_budget_vnd').notNull().default(0),
  alertKinds: jsonb('alert_kinds').$type<TAlertKind[]>().notNull().default([]),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * Every SMS the platform sends for a unit, written in the transaction that decides to send it (under
 * the unit's budget lock) and sent by a job: the ledger the budget is counted from. One row per
 * answer (message_id unique) and one per resident per alert, so a retry never sends twice.
 */
export const smsSends = pgTable(
  'sms_sends',
  {
    id: id(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    purpose: text('purpose', { enum: smsPurposeValues }).notNull(),
    messageId: uuid('message_id').references(() => messages.id),
    alertId: uuid('alert_id').references(() => alerts.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** The number at the time of sending (+84…): personal data, kept with the ledger. */
    phone: text('phone').notNull(),
    text: text('text').notNull(),
    encoding: text('encoding', { enum: smsEncodingValues }).notNull(),
    segments: integer('segments').notNull(),
    costVnd: integer('cost_vnd').notNull(),
    status: text('status', { enum: smsSendStatusValues }).notNull().default('pending'),
    providerId: text('provider_id'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('sms_sends_message_key').on(t.messageId).where(sql`${t.messageId} is not null`),
    uniqueIndex('sms_sends_alert_user_key').on(t.alertId, t.userId).where(sql`${t.alertId} is not null`),
    index('sms_sends_unit_month_idx').on(t.unitId, t.createdAt),
    index('sms_sends_phone_idx').on(t.phone, t.createdAt),
  ],
)

/**
 * A resident's SMS to the unit's number, as the provider delivered it, stored before the answer
 * (the provider's id is unique, so a redelivery is dropped) and filed into the conversation by a job.
 */
export const smsInbound = pgTable(
  'sms_inbound',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    providerId: text('provider_id').notNull(),
    /** +84… */
    sender: text('sender').notNull(),
    content: text('content').notNull(),
    serviceNumber: text('service_number').notNull().default(''),
    keyword: text('keyword').notNull().default(''),
    /** When the provider says it received the SMS. */
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: smsInboundStatusValues }).notNull().default('pending'),
    /** Why it was not filed (unknown number, …). */
    reason: text('reason'),
    messageId: uuid('message_id').references(() => messages.id),
    createdAt: createdAt(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('sms_inbound_provider_key').on(t.providerId),
    index('sms_inbound_pending_idx').on(t.id).where(sql`${t.status} = 'pending'`),
  ],
)
