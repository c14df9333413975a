import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { messages, smsInbound, smsSends, smsSettings, units, users } from '../../db/schema/index'
import { pathAbove } from '../../db/unit-path-sql'

export type SmsSettingsRow = typeof smsSettings.$inferSelect
export type SmsSendRow = typeof smsSends.$inferSelect
export type SmsInboundRow = typeof smsInbound.$inferSelect

export interface PayingUnit {
  unitId: string
  unitName: string
  unitPath: string
  monthlyBudgetVnd: number
  alertKinds: string[]
}

/** The first day of this month at midnight, Vietnam time: where a monthly budget starts again. */
const monthStart = sql`(date_trunc('month', now() at time zone 'Asia/Ho_Chi_Minh') at time zone 'Asia/Ho_Chi_Minh')`

/** Queries of the SMS tables; the rules are in the SMS services. */
export const smsRepository = {
  /** One budget decision per unit at a time: two answers cannot both take the last đồng. */
  async lockBudget(tx: DbOrTx, unitId: string) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sms-budget:${unitId}`}))`)
  },

  async settings(db: DbOrTx, unitId: string): Promise<SmsSettingsRow | undefined> {
    const [row] = await db.select().from(smsSettings).where(eq(smsSettings.unitId, unitId))
    return row
  },

  async upsertSettings(db: DbOrTx, v: typeof smsSettings.$inferInsert): Promise<SmsSettingsRow> {
    const [row] = await db
      .insert(smsSettings)
      .values(v)
      .onConflictDoUpdate({
        target: smsSettings.unitId,
        set: {
          monthlyBudgetVnd: v.monthlyBudgetVnd,
          alertKinds: v.alertKinds,
          updatedBy: v.updatedBy,
          updatedAt: new Date(),
        },
      })
      .returning()
    return row!
  },

  /** The nearest unit at or above the path that set SMS settings: its budget pays. */
  async payingUnit(db: DbOrTx, path: string): Promise<PayingUnit | undefined> {
    const [row] = await db
      .select({
        unitId: units.id,
        unitName: units.name,
        unitPath: units.path,
        monthlyBudgetVnd: smsSettings.monthlyBudgetVnd,
        alertKinds: smsSettings.alertKinds,
      })
      .from(smsSettings)
      .innerJoin(units, eq(units.id, smsSettings.unitId))
      .where(pathAbove(units.path, path))
      .orderBy(desc(sql`length(${units.path})`))
      .limit(1)
    return row
  },

  /** What the unit has committed this month: sent and still pending; a refused SMS is not charged. */
  async spentThisMonth(db: DbOrTx, unitId: string): Promise<number> {
    const [row] = await queryRows<{ spent: number }>(
      db,
      sql`select coalesce(sum(cost_vnd), 0)::int as spent from sms_sends
          where unit_id = ${unitId} and status <> 'failed' and created_at >= ${monthStart}`,
    )
    return row?.spent ?? 0
  },

  /** The month's charged SMS of the unit: how many, and the latest (newest first). */
  async monthSends(db: DbOrTx, unitId: string, limit: number) {
    const charged = and(
      eq(smsSends.unitId, unitId),
      sql`${smsSends.status} <> 'failed'`,
      sql`${smsSends.createdAt} >= ${monthStart}`,
    )
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(smsSends).where(charged)
    const latest = await db
      .select({
        id: smsSends.id,
        purpose: smsSends.purpose,
        status: smsSends.status,
        segments: smsSends.segments,
        costVnd: smsSends.costVnd,
        createdAt: smsSends.createdAt,
      })
      .from(smsSends)
      .where(charged)
      .orderBy(desc(smsSends.createdAt))
      .limit(limit)
    return { count: count?.n ?? 0, latest }
  },

  /** Inserts a ledger row; undefined when one exists for the same message or the same alert and person. */
  async insertSend(db: DbOrTx, v: typeof smsSends.$inferInsert): Promise<SmsSendRow | undefined> {
    const [row] = await db.insert(smsSends).values(v).onConflictDoNothing().returning()
    return row
  },

  async send(db: DbOrTx, id: string): Promise<SmsSendRow | undefined> {
    const [row] = await db.select().from(smsSends).where(eq(smsSends.id, id))
    return row
  },

  async sendOfMessage(db: DbOrTx, messageId: string): Promise<SmsSendRow | undefined> {
    const [row] = await db.select().from(smsSends).where(eq(smsSends.messageId, messageId))
    return row
  },

  async updateSend(db: DbOrTx, id: string, values: Partial<typeof smsSends.$inferInsert>) {
    await db.update(smsSends).set(values).where(eq(smsSends.id, id))
  },

  /** A resident's sign-in number (proven by the sign-in code) and whether they asked for SMS alerts. */
  async resident(db: DbOrTx, userId: string) {
    const [row] = await db
      .select({ id: users.id, phone: users.phone, kind: users.kind, deletedAt: users.deletedAt })
      .from(users)
      .where(eq(users.id, userId))
    return row
  },

  async residentByPhone(db: DbOrTx, phone: string) {
    const [row] = await db
      .select()
      .from(users)
      .where(and(eq(users.phone, phone), eq(users.kind, 'resident'), sql`${users.deletedAt} is null`))
    return row
  },

  /** The conversation the resident was last answered in by SMS: their reply belongs there. */
  async lastAnsweredConversation(db: DbOrTx, userId: string): Promise<string | undefined> {
    const [row] = await db
      .select({ conversationId: messages.conversationId })
      .from(smsSends)
      .innerJoin(messages, eq(messages.id, smsSends.messageId))
      .where(and(eq(smsSends.userId, userId), eq(smsSends.purpose, 'reply')))
      .orderBy(desc(smsSends.createdAt))
      .limit(1)
    return row?.conversationId
  },

  /**
   * The next residents an alert reaches who asked for SMS alerts and have a number, and have no SMS
   * for this alert yet (a retried job starts where it stopped), in id order.
   */
  async alertRecipientsWithSms(db: DbOrTx, alertId: string, limit: number) {
    return queryRows<{ user_id: string; phone: string }>(
      db,
      sql`select u.id as user_id, u.phone from alert_recipients ar
            join users u on u.id = ar.user_id
           where ar.alert_id = ${alertId} and u.sms_alerts and u.phone is not null and u.deleted_at is null
             and not exists (select 1 from sms_sends s where s.alert_id = ar.alert_id and s.user_id = u.id)
           order by u.id limit ${limit}`,
    )
  },

  async pendingSendsOfAlert(db: DbOrTx, alertId: string): Promise<string[]> {
    const rows = await db
      .select({ id: smsSends.id })
      .from(smsSends)
      .where(and(eq(smsSends.alertId, alertId), isNotNull(smsSends.alertId), eq(smsSends.status, 'pending')))
      .orderBy(asc(smsSends.createdAt))
    return rows.map((r) => r.id)
  },

  /** Stores an inbound SMS once: a redelivery with the same provider id returns undefined. */
  async storeInbound(db: DbOrTx, v: typeof smsInbound.$inferInsert): Promise<number | undefined> {
    const [row] = await db.insert(smsInbound).values(v).onConflictDoNothing().returning({ id: smsInbound.id })
    return row?.id
  },

  /** The oldest unfiled inbound SMS. */
  async pendingInbound(db: DbOrTx, limit: number): Promise<SmsInboundRow[]> {
    return db
      .select()
      .from(smsInbound)
      .where(eq(smsInbound.status, 'pending'))
      .orderBy(asc(smsInbound.receivedAt), asc(smsInbound.id))
      .limit(limit)
  },

  async markInbound(db: DbOrTx, id: number, values: Partial<typeof smsInbound.$inferInsert>) {
    await db
      .update(smsInbound)
      .set({ processedAt: new Date(), ...values })
      .where(eq(smsInbound.id, id))
  },

  async unit(db: DbOrTx, id: string) {
    const [row] = await db
      .select({ id: units.id, path: units.path, name: units.name })
      .from(units)
      .where(eq(units.id, id))
    return row
  },
}
