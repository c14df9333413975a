import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { budgetDay } from '../tips/upload-quota'

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`
const count = async (db: DbOrTx, q: ReturnType<typeof sql>) =>
  (await queryRows<{ n: number }>(db, sql`with x as (${q} returning 1) select count(*)::int as n from x`))[0]
    ?.n ?? 0

/** A case that still needs its records: not closed, or closed less than 24 months before `now`. */
const caseHolds = (now: Date) =>
  sql`(c.status <> 'closed' or c.closed_at is null or c.closed_at > ${at(now)} - interval '24 months')`

/** The queries of the retention rules; each takes the clock so tests can move it. */
export const retentionRepository = {
  /** Anonymous upload counters (F9) are needed for today only: kept until the day after. */
  uploadBudgets: (db: DbOrTx, now: Date) =>
    count(db, sql`delete from upload_budgets where day < ${budgetDay(now.getTime() - 86_400_000)}::date`),

  /** roles-and-data.md: IP addresses 30 days (the audit trigger allows exactly this change). */
  auditOrigins: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`update audit_log set ip = null, user_agent = null
          where at < ${at(now)} - interval '30 days' and (ip is not null or user_agent is not null)`,
    ),

  /**
   * roles-and-data.md: the audit log 5 years. Only audit_log_purge() may delete past the append-only
   * trigger, and never a row younger than 5 years by the database's clock.
   */
  auditExpired: async (db: DbOrTx, now: Date) =>
    (await queryRows<{ n: number }>(db, sql`select audit_log_purge(${at(now)} - interval '5 years') as n`))[0]
      ?.n ?? 0,

  sessionOrigins: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`update sessions set ip = null, user_agent = null
          where created_at < ${at(now)} - interval '30 days' and (ip is not null or user_agent is not null)`,
    ),

  endedSessions: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`delete from sessions where coalesce(revoked_at, expires_at) < ${at(now)} - interval '30 days'`,
    ),

  /** Done jobs hold push previews of messages: 7 days; dead ones 30 days (time to look into them). */
  finishedJobs: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`delete from jobs where (status = 'succeeded' and coalesce(finished_at, created_at) < ${at(now)} - interval '7 days')
            or (status = 'dead' and coalesce(finished_at, created_at) < ${at(now)} - interval '30 days')`,
    ),

  /** The SMS ledger keeps what each SMS cost; the number and the text go after 12 months. */
  smsSends: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`update sms_sends set phone = '', text = ''
          where created_at < ${at(now)} - interval '12 months' and (phone <> '' or text <> '')`,
    ),

  /** An inbound SMS is needed until it is filed (then it is a message) or set aside: 30 days more. */
  smsInbound: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`delete from sms_inbound where status <> 'pending' and processed_at < ${at(now)} - interval '30 days'`,
    ),

  otpCodes: (db: DbOrTx, now: Date) =>
    count(db, sql`delete from otp_codes where created_at < ${at(now)} - interval '1 day'`),

  authFailures: (db: DbOrTx, now: Date) =>
    count(db, sql`delete from auth_failures where at < ${at(now)} - interval '1 day'`),

  /** Replayed answers of signed-in POSTs hold response bodies: a day. */
  idempotentAnswers: (db: DbOrTx, now: Date) =>
    count(db, sql`delete from idempotent_requests where created_at < ${at(now)} - interval '1 day'`),

  /** Tips 24 months after they (or their case) closed; their threads; evidence bytes unless referred. */
  async tips(db: DbOrTx, now: Date): Promise<{ tips: number; evidence: number; storageKeys: string[] }> {
    const due = sql`select t.id from tips t left join cases c on c.id = t.case_id
      where t.description <> ''
        and coalesce(t.closed_at, t.created_at) < ${at(now)} - interval '24 months'
        and (t.case_id is null or not ${caseHolds(now)})`
    const ids = (await queryRows<{ id: string }>(db, due)).map((r) => r.id)
    if (!ids.length) return { tips: 0, evidence: 0, storageKeys: [] }
    const list = sql`${`{${ids.join(',')}}`}::uuid[]`
    await db.execute(sql`update tip_messages set body = '' where tip_id = any(${list})`)
    await db.execute(sql`update tips set description = '', address_text = null, lat = null, lng = null,
      submitter_id = null, updated_at = now() where id = any(${list})`)
    // Evidence of a case referred to investigators stays until released.
    const keys = await queryRows<{ storage_key: string; thumb_key: string | null }>(
      db,
      sql`select r.storage_key, r.thumb_key from evidence_files e
          left join tip_messages m on m.id = e.tip_message_id
          join tips t on t.id = coalesce(e.tip_id, m.tip_id) left join cases c on c.id = t.case_id,
          lateral evidence_remove_bytes(e.id, 'retention') r
          where t.id = any(${list}) and e.bytes_removed_at is null
            and coalesce(c.outcome, '') <> 'referred_to_investigators'`,
    )
    return {
      tips: ids.length,
      evidence: keys.length,
      storageKeys: keys.flatMap((k) => (k.thumb_key ? [k.storage_key, k.thumb_key] : [k.storage_key])),
    }
  },

  /**
   * A case's own files 24 months after it closed: the evidence staff added and the answers to its
   * requests for help (their text and their link to the responder emptied, their files' bytes
   * removed; records and hashes kept).
   * A case referred to investigators keeps them until released.
   */
  async caseFiles(
    db: DbOrTx,
    now: Date,
  ): Promise<{ answers: number; evidence: number; storageKeys: string[] }> {
    const due = sql`select c.id from cases c where c.status = 'closed' and c.closed_at < ${at(now)} - interval '24 months'
      and coalesce(c.outcome, '') <> 'referred_to_investigators'`
    const answers = await count(
      db,
      sql`update help_responses set body = '', responder_id = null where (body <> '' or responder_id is not null)
          and help_request_id in (select h.id from help_requests h where h.case_id in (${due}))`,
    )
    const keys = await queryRows<{ storage_key: string; thumb_key: string | null }>(
      db,
      sql`select r.storage_key, r.thumb_key from evidence_files e
          left join help_responses hr on hr.id = e.help_response_id
          left join help_requests h on h.id = hr.help_request_id,
          lateral evidence_remove_bytes(e.id, 'retention') r
          where coalesce(e.case_id, h.case_id) in (${due}) and e.bytes_removed_at is null`,
    )
    return {
      answers,
      evidence: keys.length,
      storageKeys: keys.flatMap((k) => (k.thumb_key ? [k.storage_key, k.thumb_key] : [k.storage_key])),
    }
  },

  /**
   * A closed case's own text 24 months after it closed: title, description, place and outcome note,
   * the text of its requests for help, and the free text of its timeline (through case_remove_text,
   * the one way past the timeline's append-only trigger). Category, area, dates and outcome stay for
   * the counts. A case referred to investigators keeps everything.
   */
  async caseText(db: DbOrTx, now: Date): Promise<number> {
    const ids = (
      await queryRows<{ id: string }>(
        db,
        sql`select c.id from cases c where c.status = 'closed' and c.closed_at < ${at(now)} - interval '24 months'
          and coalesce(c.outcome, '') <> 'referred_to_investigators'
          and (c.title <> '' or c.description <> '' or c.address_text is not null or c.lat is not null
               or c.lng is not null or c.outcome_note is not null)`,
      )
    ).map((r) => r.id)
    if (!ids.length) return 0
    const list = sql`${`{${ids.join(',')}}`}::uuid[]`
    await db.execute(sql`update cases set title = '', description = '', address_text = null, lat = null,
      lng = null, outcome_note = null, updated_at = now() where id = any(${list})`)
    await db.execute(sql`update help_requests set description = '', look_for = '', place_text = '',
      lat = null, lng = null, closing_message = null where case_id = any(${list})`)
    await db.execute(sql`select case_remove_text(id) from unnest(${list}) as id`)
    return ids.length
  },

  /** Answers to alerts follow the tip they became (emptied with it); one that became none: 24 months. */
  alertAnswers: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`update alert_answers a set body = '' where a.body <> '' and (
            (a.tip_id is not null and exists (select 1 from tips t where t.id = a.tip_id and t.description = ''))
            or (a.tip_id is null and a.created_at < ${at(now)} - interval '24 months'))`,
    ),

  /** A guest list keeps the establishment's address as long as one of its guests' reports keeps names. */
  guestLists: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`update guest_lists g set address = '' where g.address <> ''
            and g.created_at < ${at(now)} - interval '24 months'
            and not exists (select 1 from residence_reports r where r.guest_list_id = g.id
                            and (r.full_name <> '' or r.id_number <> ''))`,
    ),

  /** Direct conversations 24 months after resolution (unless a case still needs them): messages emptied. */
  async directMessages(db: DbOrTx, now: Date): Promise<{ messages: number; storageKeys: string[] }> {
    const due = sql`select cv.id from conversations cv where cv.kind = 'direct' and cv.status = 'resolved'
      and cv.resolved_at < ${at(now)} - interval '24 months'
      and not exists (select 1 from case_links l join cases c on c.id = l.case_id
                      where l.kind = 'conversation' and l.target_id = cv.id and ${caseHolds(now)})`
    await db.execute(
      sql`delete from message_edits where message_id in (select id from messages where conversation_id in (${due}))`,
    )
    const files = await queryRows<{ storage_key: string; thumb_key: string | null }>(
      db,
      sql`delete from message_files where conversation_id in (${due}) returning storage_key, thumb_key`,
    )
    const messages = await count(
      db,
      sql`update messages set body = '', attachments = '[]'::jsonb, payload = null, deleted_at = coalesce(deleted_at, now())
          where conversation_id in (${due}) and (body <> '' or attachments <> '[]'::jsonb or payload is not null)`,
    )
    return {
      messages,
      storageKeys: files.flatMap((k) => (k.thumb_key ? [k.storage_key, k.thumb_key] : [k.storage_key])),
    }
  },

  /** Group messages a moderator hid: 12 months. */
  hiddenGroupMessages: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`update messages set body = '', attachments = '[]'::jsonb, payload = null, hidden_reason = null
          where hidden_at < ${at(now)} - interval '12 months'
            and (body <> '' or attachments <> '[]'::jsonb or payload is not null)`,
    ),

  /** Residence reports 24 months after they closed: the people in them erased from the report. */
  residenceReports: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`update residence_reports set full_name = '', id_number = '', address = '', nationality = null,
            destination = null, reason = null, note = null, arrival_time = null, review_note = null, updated_at = now()
          where closed_at < ${at(now)} - interval '24 months' and (full_name <> '' or id_number <> '')`,
    ),

  /**
   * The area register: a person whose line ended (left, or a temporary stay's end date passed)
   * 24 months before the clock's day in Việt Nam loses the name, ID number, search text, nationality
   * and destination (movements.personal-data.ts). The row, its residence, dates and history stay,
   * so the register's counts do not change.
   */
  registerPeople: (db: DbOrTx, now: Date) =>
    count(
      db,
      sql`update register_people set full_name = '', id_number = '', search_text = '', nationality = null,
            away_destination = null, updated_at = now()
          where coalesce(ended_on, case when residence <> 'permanent' then until_date end)
                  < (${at(now)} at time zone 'Asia/Ho_Chi_Minh')::date - interval '24 months'
            and (full_name <> '' or id_number <> '' or search_text <> '' or nationality is not null
                 or away_destination is not null)`,
    ),

  recordRun: (
    db: DbOrTx,
    run: { rule: string; clock: Date; removed: number; details: Record<string, number> },
  ) =>
    db.execute(sql`insert into retention_runs (rule, clock, removed, details)
      values (${run.rule}, ${at(run.clock)}, ${run.removed}, ${JSON.stringify(run.details)}::jsonb)`),

  /** The last run of each rule. */
  lastRuns: (db: DbOrTx) =>
    queryRows<{
      rule: string
      ran_at: Date | string
      clock: Date | string
      removed: number
      details: Record<string, number>
    }>(
      db,
      sql`select distinct on (rule) rule, ran_at, clock, removed, details from retention_runs order by rule, id desc`,
    ),

  /** The earliest pending run of the daily job (pending: not yet claimed; a due one counts). */
  nextRunAt: async (db: DbOrTx, queue: string) =>
    (
      await queryRows<{ run_at: Date | string | null }>(
        db,
        sql`select min(run_at) as run_at from jobs where queue = ${queue} and status = 'pending'`,
      )
    )[0]?.run_at ?? null,
}
