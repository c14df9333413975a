import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows, uuidArray } from '../../db/query'
import { alertRecipients, alerts } from '../../db/schema/index'
import { underAnyPath } from '../../db/unit-path-sql'

/**
 * The people an alert reaches: residents living in an area under one of the target paths, and
 * residents who are active members of a group of such an area (a landlord, a member of a
 * neighbouring group). One row per person: DISTINCT ON plus the primary key.
 */
const residentsSql = (areaFilter: SQL, only: SQL) => sql`
    select u.id as user_id, u.area_id as area_id
      from users u join units a on a.id = u.area_id
     where u.kind = 'resident' and u.deleted_at is null and ${areaFilter}${only}`

const groupMembersSql = (paths: string[], only: SQL) => sql`
    select gm.user_id, null::uuid as area_id
      from group_members gm
      join groups g on g.id = gm.group_id
      join users u on u.id = gm.user_id
     where gm.status in ('active', 'muted') and g.archived_at is null and u.kind = 'resident'
       and u.deleted_at is null and ${underAnyPath(sql`g.unit_path`, paths)}${only}`

const audienceSql = (paths: string[], onlyUserIds?: string[]) => {
  const only = onlyUserIds ? sql` and u.id = any(${uuidArray(onlyUserIds)})` : sql``
  return sql`
  select distinct on (user_id) user_id, area_id from (
    ${residentsSql(underAnyPath(sql`a.path`, paths), only)}
    union all
    ${groupMembersSql(paths, only)}
  ) reach
  order by user_id, area_id nulls last`
}

export interface AlertCounters {
  targeted: number
  delivered: number
  read: number
  shared: number
  answers: number
}

const countersSql = sql`${alerts.targetedCount} as targeted, ${alerts.deliveredCount} as delivered,
  ${alerts.readCount} as read, ${alerts.sharedCount} as shared, ${alerts.answersCount} as answers`

export const alertRecipientsRepository = {
  /** Who would receive an alert to these subtrees: for the composer's preview. */
  async preview(
    db: DbOrTx,
    paths: string[],
  ): Promise<{ residents: number; withPush: number; groups: number }> {
    const [row] = await queryRows<{ residents: number; with_push: number; groups: number }>(
      db,
      sql`with reach as (${audienceSql(paths)})
          select (select count(*) from reach)::int as residents,
                 (select count(distinct ps.user_id) from push_subscriptions ps join reach r on r.user_id = ps.user_id)::int as with_push,
                 (select count(*) from groups g where g.archived_at is null and ${underAnyPath(sql`g.unit_path`, paths)})::int as groups`,
    )
    return { residents: row?.residents ?? 0, withPush: row?.with_push ?? 0, groups: row?.groups ?? 0 }
  },

  /**
   * Stores how many people an alert to these subtrees reaches, unless the recipients job has
   * already stored the count of the rows it wrote (which wins); returns the stored count.
   */
  async storeAudienceCount(db: DbOrTx, alertId: string, paths: string[]): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`update alerts set targeted_count = case when recipients_ready_at is null
            then (select count(*) from (${audienceSql(paths)}) reach) else targeted_count end
          where id = ${alertId} returning targeted_count::int as n`,
    )
    return row?.n ?? 0
  },

  /**
   * Writes a row for each resident living in one of these areas (idempotent: rows written earlier,
   * by `ensure` or a first try of the job, stay). In the people's order, as `ensure` writes: two
   * writers of overlapping rows in different orders deadlock (a batch of receipts was lost so).
   */
  async writeResidents(db: DbOrTx, alertId: string, areaIds: string[]): Promise<void> {
    await db.execute(sql`
      insert into alert_recipients (alert_id, user_id, area_id)
      select ${alertId}::uuid, user_id, area_id from (${residentsSql(sql`u.area_id = any(${uuidArray(areaIds)})`, sql``)}) reach
      order by user_id
      on conflict do nothing`)
  },

  /**
   * Writes a row for each member of a group under the target paths who has none yet (one living
   * outside the audience's areas: the others' rows, with their area, were written first).
   */
  async writeGroupMembers(db: DbOrTx, alertId: string, paths: string[]): Promise<void> {
    await db.execute(sql`
      insert into alert_recipients (alert_id, user_id, area_id)
      select distinct on (user_id) ${alertId}::uuid, user_id, area_id from (${groupMembersSql(paths, sql``)}) reach
      order by user_id
      on conflict do nothing`)
  },

  /** Stores the count of the rows written and marks them ready; returns the count. */
  async markReady(tx: DbOrTx, alertId: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      tx,
      sql`update alerts set targeted_count = (select count(*) from alert_recipients where alert_id = ${alertId}),
                 recipients_ready_at = coalesce(recipients_ready_at, now())
          where id = ${alertId} returning targeted_count::int as n`,
    )
    return row?.n ?? 0
  },

  /**
   * Fresh planner statistics after a large bulk write: until autovacuum gets to the table, it looks
   * as it was before, and the push walk's pages of 1,000 were each planned as a scan and sort of all
   * the alert's rows (0.2–1 s a page at 500,000 recipients, against 30–50 ms with statistics).
   */
  async analyze(db: DbOrTx): Promise<void> {
    await db.execute(sql`analyze alert_recipients`)
  },

  /**
   * These people's rows before the job has written everyone's (devices confirm within a second of
   * publication): written for those in the audience. Returns who of them are recipients.
   */
  async ensure(db: DbOrTx, alertId: string, userIds: string[], paths: string[]): Promise<Set<string>> {
    const rows = await queryRows<{ user_id: string }>(
      db,
      sql`with reach as (${audienceSql(paths, userIds)}),
          added as (insert into alert_recipients (alert_id, user_id, area_id)
                    select ${alertId}::uuid, user_id, area_id from reach on conflict do nothing)
          select user_id::text as user_id from reach`,
    )
    return new Set(rows.map((r) => r.user_id))
  },

  /** Units (any level) under the target paths: their `area:` rooms get the real-time event. */
  async unitIdsUnder(db: DbOrTx, paths: string[]): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select id from units where ${underAnyPath(sql`path`, paths)}`,
    )
    return rows.map((r) => r.id)
  },

  /**
   * People reached only through a group of the audience (their home area is outside it): their
   * `user:` rooms get the real-time event. Read from the groups, not from recipient rows, so the
   * event can go out before those rows are written.
   */
  async groupOnlyUserIds(db: DbOrTx, paths: string[]): Promise<string[]> {
    const rows = await queryRows<{ user_id: string }>(
      db,
      sql`select distinct gm.user_id
            from group_members gm
            join groups g on g.id = gm.group_id
            join users u on u.id = gm.user_id
            left join units a on a.id = u.area_id
           where gm.status in ('active', 'muted') and g.archived_at is null and u.kind = 'resident'
             and u.deleted_at is null and ${underAnyPath(sql`g.unit_path`, paths)}
             and (a.id is null or not ${underAnyPath(sql`a.path`, paths)})`,
    )
    return rows.map((r) => r.user_id)
  },

  /**
   * Records delivered / read / shared / answered for one person, and bumps the alert's counter
   * only the first time (the old value is read under a row lock in the same statement).
   */
  async mark(
    db: DbOrTx,
    alertId: string,
    userId: string,
    what: 'delivered' | 'read' | 'shared' | 'answered',
  ): Promise<void> {
    await alertRecipientsRepository.markMany(db, alertId, [userId], what)
  },

  /**
   * `mark` for many people at once: one statement, one update of the alert's counters. Returns
   * the people whose row it found (the others are not recipients, or not yet written).
   */
  async markMany(
    db: DbOrTx,
    alertId: string,
    userIds: string[],
    what: 'delivered' | 'read' | 'shared' | 'answered',
  ): Promise<Set<string>> {
    const readOrDeliver = what === 'read' || what === 'delivered'
    const setSql =
      what === 'delivered'
        ? sql`delivered_at = coalesce(r.delivered_at, now())`
        : what === 'read'
          ? sql`delivered_at = coalesce(r.delivered_at, now()), read_at = coalesce(r.read_at, now())`
          : what === 'shared'
            ? sql`shared_at = coalesce(r.shared_at, now())`
            : sql`answered_at = coalesce(r.answered_at, now())`
    const rows = await queryRows<{ user_id: string }>(
      db,
      sql`with upd as (
            update alert_recipients r set ${setSql}
              from (select user_id, delivered_at as old_delivered, read_at as old_read, shared_at as old_shared
                      from alert_recipients where alert_id = ${alertId} and user_id = any(${uuidArray(userIds)})
                     order by user_id for update) old
             where r.alert_id = ${alertId} and r.user_id = old.user_id
            returning r.user_id, old.old_delivered, old.old_read, old.old_shared),
          bump as (
            update alerts set
              delivered_count = delivered_count + ${readOrDeliver ? sql`(select count(*) from upd where old_delivered is null)::int` : sql`0`},
              read_count = read_count + ${what === 'read' ? sql`(select count(*) from upd where old_read is null)::int` : sql`0`},
              shared_count = shared_count + ${what === 'shared' ? sql`(select count(*) from upd where old_shared is null)::int` : sql`0`}
            where id = ${alertId} and exists (select 1 from upd))
          select user_id::text as user_id from upd`,
    )
    return new Set(rows.map((r) => r.user_id))
  },

  async bumpShared(db: DbOrTx, alertId: string): Promise<void> {
    await db.execute(sql`update alerts set shared_count = shared_count + 1 where id = ${alertId}`)
  },

  async bumpAnswers(db: DbOrTx, alertId: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`update alerts set answers_count = answers_count + 1 where id = ${alertId} returning answers_count::int as n`,
    )
    return row?.n ?? 0
  },

  async counters(db: DbOrTx, alertId: string): Promise<AlertCounters | undefined> {
    const [row] = await queryRows<AlertCounters & Record<string, unknown>>(
      db,
      sql`select ${countersSql} from ${alerts} where ${alerts.id} = ${alertId}`,
    )
    return row
  },

  /**
   * The next batch of people to push for a version: after `afterUserId` (keyset), not yet pushed this
   * version, with a push subscription, and for a first Alert only those whose device has not
   * confirmed real-time delivery. Those without a subscription are passed over in the query: at
   * province scale most recipients have none, and walking (and marking) them all, 1,000 at a time,
   * took longer than pushing to those who have one.
   */
  async pushBatch(
    db: DbOrTx,
    alertId: string,
    version: number,
    opts: { onlyUndelivered: boolean; afterUserId: string | null; limit: number },
  ): Promise<string[]> {
    const rows = await queryRows<{ user_id: string }>(
      db,
      sql`select r.user_id from ${alertRecipients} r
           where r.alert_id = ${alertId} and (r.pushed_version is null or r.pushed_version < ${version})
             ${opts.onlyUndelivered ? sql`and r.delivered_at is null` : sql``}
             ${opts.afterUserId ? sql`and r.user_id > ${opts.afterUserId}` : sql``}
             and exists (select 1 from push_subscriptions ps where ps.user_id = r.user_id)
           order by r.user_id limit ${opts.limit}`,
    )
    return rows.map((r) => r.user_id)
  },

  async markPushed(db: DbOrTx, alertId: string, userIds: string[], version: number): Promise<void> {
    if (userIds.length === 0) return
    await db.execute(
      sql`update alert_recipients set pushed_version = ${version}
           where alert_id = ${alertId} and user_id in (${sql.join(
             userIds.map((id) => sql`${id}`),
             sql`, `,
           )})`,
    )
  },
}
