import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { signInAs } from '../../test/auth-helpers'
import {
  buildAdmin,
  buildArea,
  buildDirectConversation,
  buildEvidence,
  buildGroup,
  buildMessage,
  buildOfficer,
  buildRegisterPerson,
  buildResidenceReport,
  buildResident,
  buildTip,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { RETENTION_QUEUE, scheduleRetention } from './retention.job'
import { runRetention } from './retention.service'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const DAY = 86_400_000
const iso = (d: Date) => d.toISOString()

describe('retention (F19)', () => {
  it('25 months on: every period applied to what is older, nothing younger touched', async () => {
    const now = new Date()
    const clock = new Date(now.getTime() + 25 * 30.5 * DAY) // 25 months later
    const young = (days: number) => new Date(clock.getTime() - days * DAY)
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const { user: officer } = await buildOfficer(t.db, { areas: [area] })
    const resident = await buildResident(t.db, { area })
    const x = (q: ReturnType<typeof sql>) => t.db.execute(q)

    // audit: one row 40 days old (real time: the append-only trigger allows blanking only then), one a day before the clock
    await x(sql`insert into audit_log (at, actor_role, action, entity_type, ip, user_agent)
      values (${iso(new Date(now.getTime() - 40 * DAY))}::timestamptz, 'officer', 'retention.old', 'test', '10.0.0.1', 'UA-old'),
             (${iso(young(1))}::timestamptz, 'officer', 'retention.young', 'test', '10.0.0.2', 'UA-young')`)
    // sessions
    const oldSession = await signInAs(t.app, resident)
    await x(sql`insert into sessions (user_id, token_hash, created_at, last_seen_at, expires_at, ip, user_agent)
      values (${resident.id}, 'young-session', ${iso(young(1))}::timestamptz, ${iso(young(1))}::timestamptz,
              ${iso(young(-30))}::timestamptz, '10.0.0.3', 'UA-session')`)
    // jobs, one-time codes, failure counters, replayed answers
    await x(sql`insert into jobs (queue, payload, status, finished_at, created_at) values
      ('push.deliver', '{"payload":{"body":"old preview"}}', 'succeeded', now(), now()),
      ('push.deliver', '{"payload":{"body":"young preview"}}', 'succeeded', ${iso(young(2))}::timestamptz, ${iso(young(2))}::timestamptz)`)
    await x(sql`insert into otp_codes (phone, code_hash, created_at, expires_at) values
      ('+84900000001', 'old', now(), now()), ('+84900000002', 'young', ${iso(young(0.5))}::timestamptz, ${iso(young(0.4))}::timestamptz)`)
    await x(sql`insert into auth_failures (kind, subject, at) values
      ('otp', 'old-subject', now()), ('otp', 'young-subject', ${iso(young(0.5))}::timestamptz)`)
    await x(sql`insert into idempotent_requests (user_id, target, key, request_hash, body, created_at) values
      (${resident.id}, 'POST /x', 'old', 'h', 'old body', now()),
      (${resident.id}, 'POST /x', 'young', 'h', 'young body', ${iso(young(0.5))}::timestamptz)`)
    // anonymous upload counters: the clock's day is kept, two days before is not
    const vnDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
    await x(sql`insert into upload_budgets (scope, day, bytes) values
      ('global', ${vnDay(young(2))}, 10), ('global', ${vnDay(clock)}, 20)`)
    // tips and their evidence
    const oldTip = await buildTip(t.db, { area, description: 'Tin báo cũ', closedAt: now })
    const youngTip = await buildTip(t.db, { area, description: 'Tin báo mới', createdAt: young(30) })
    const put = async (key: string) => (await t.storage.put(key, Buffer.from(key))).sha256
    const oldFile = await buildEvidence(t.db, {
      tipId: oldTip.id,
      storageKey: `r/${oldTip.id}`,
      sha256: await put(`r/${oldTip.id}`),
      size: 1,
    })
    const youngFile = await buildEvidence(t.db, {
      tipId: youngTip.id,
      storageKey: `r/${youngTip.id}`,
      sha256: await put(`r/${youngTip.id}`),
      size: 1,
    })
    // direct conversations resolved long ago / recently
    const other = await buildResident(t.db, { area })
    const oldConv = await buildDirectConversation(t.db, { resident, area, assignee: officer })
    await buildMessage(t.db, { conversation: oldConv, author: resident, body: 'Tin nhắn cũ' })
    await x(sql`update conversations set status = 'resolved', resolved_at = now() where id = ${oldConv.id}`)
    const youngConv = await buildDirectConversation(t.db, { resident: other, area, assignee: officer })
    await buildMessage(t.db, { conversation: youngConv, author: other, body: 'Tin nhắn mới' })
    await x(
      sql`update conversations set status = 'resolved', resolved_at = ${iso(young(30))}::timestamptz where id = ${youngConv.id}`,
    )
    // hidden group messages
    const { conversation: groupConv } = await buildGroup(t.db, {
      unit: area,
      owner: officer,
      members: [resident],
    })
    const hiddenOld = await buildMessage(t.db, {
      conversation: groupConv,
      author: resident,
      body: 'Ẩn đã lâu',
    })
    const hiddenYoung = await buildMessage(t.db, {
      conversation: groupConv,
      author: resident,
      body: 'Ẩn gần đây',
    })
    await x(sql`update messages set hidden_at = now() where id = ${hiddenOld.id}`)
    await x(sql`update messages set hidden_at = ${iso(young(30))}::timestamptz where id = ${hiddenYoung.id}`)
    // residence reports
    const oldReport = await buildResidenceReport(t.db, { area, status: 'confirmed', closedAt: now })
    const youngReport = await buildResidenceReport(t.db, { area, status: 'confirmed', closedAt: young(30) })
    // the area register: a person who left 25 months before the clock
    const leftPerson = await buildRegisterPerson(t.db, { area, actor: officer, residence: 'temporary' })
    await x(
      sql`update register_people set ended_on = ${iso(young(25 * 30.5)).slice(0, 10)}::date where id = ${leftPerson.id}`,
    )

    const removed = await runRetention({ db: t.db, storage: t.storage, now: () => clock })
    expect(removed).toMatchObject({
      audit_origins: 1,
      tips: 1,
      direct_messages: 1,
      hidden_group_messages: 1,
      residence_reports: 1,
      register_people: 1,
    })
    for (const n of Object.values(removed)) expect(n).toBeGreaterThanOrEqual(1)

    const one = async <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) =>
      (await queryRows<T>(t.db, q))[0]
    expect(await one(sql`select ip, user_agent from audit_log where action = 'retention.old'`)).toEqual({
      ip: null,
      user_agent: null,
    })
    expect(await one(sql`select ip from audit_log where action = 'retention.young'`)).toEqual({
      ip: '10.0.0.2',
    })
    expect(
      await one(sql`select count(*)::int as n from sessions where id = ${oldSession.sessionId}`),
    ).toEqual({ n: 0 })
    expect(await one(sql`select ip, user_agent from sessions where token_hash = 'young-session'`)).toEqual({
      ip: '10.0.0.3',
      user_agent: 'UA-session',
    })
    expect(
      await queryRows(
        t.db,
        sql`select payload->'payload'->>'body' as b from jobs where queue = 'push.deliver' order by id`,
      ),
    ).toEqual([{ b: 'young preview' }])
    expect(await queryRows(t.db, sql`select code_hash from otp_codes`)).toEqual([{ code_hash: 'young' }])
    expect(await queryRows(t.db, sql`select subject from auth_failures`)).toEqual([
      { subject: 'young-subject' },
    ])
    expect(await queryRows(t.db, sql`select key from idempotent_requests`)).toEqual([{ key: 'young' }])
    expect(await queryRows(t.db, sql`select bytes::int as bytes from upload_budgets`)).toEqual([
      { bytes: 20 },
    ])
    expect(await one(sql`select description from tips where id = ${oldTip.id}`)).toEqual({ description: '' })
    expect(await one(sql`select description from tips where id = ${youngTip.id}`)).toEqual({
      description: 'Tin báo mới',
    })
    expect(await t.storage.stat(oldFile.storageKey)).toBeUndefined()
    expect(await t.storage.stat(youngFile.storageKey)).toBeDefined()
    expect(
      await one(sql`select bytes_removed_reason as r from evidence_files where id = ${oldFile.id}`),
    ).toEqual({ r: 'retention' })
    expect(await one(sql`select bytes_removed_at from evidence_files where id = ${youngFile.id}`)).toEqual({
      bytes_removed_at: null,
    })
    expect(
      await queryRows(
        t.db,
        sql`select body from messages where conversation_id in (${oldConv.id}, ${youngConv.id}) order by body`,
      ),
    ).toEqual([{ body: '' }, { body: 'Tin nhắn mới' }])
    expect(await one(sql`select body from messages where id = ${hiddenOld.id}`)).toEqual({ body: '' })
    expect(await one(sql`select body from messages where id = ${hiddenYoung.id}`)).toEqual({
      body: 'Ẩn gần đây',
    })
    expect(
      await one(sql`select full_name, id_number from residence_reports where id = ${oldReport.id}`),
    ).toEqual({ full_name: '', id_number: '' })
    expect(await one(sql`select full_name from residence_reports where id = ${youngReport.id}`)).toEqual({
      full_name: youngReport.fullName,
    })

    // Applied once: a second run removes nothing more.
    const again = await runRetention({ db: t.db, storage: t.storage, now: () => clock })
    for (const n of Object.values(again)) expect(n).toBe(0)

    // The admin page lists every rule, when it last ran and what it removed.
    const admin = await signInAs(t.app, await buildAdmin(t.db))
    const page = await t.app.inject({ url: '/api/admin/retention', headers: admin.headers })
    expect(page.statusCode).toBe(200)
    const items = page.json().items as { name: string; lastRunAt: string | null; removed: number }[]
    expect(items.map((i) => i.name)).toEqual(Object.keys(removed))
    for (const i of items) expect(i.lastRunAt).not.toBeNull()
    const officerSession = await signInAs(t.app, officer)
    expect(
      (await t.app.inject({ url: '/api/admin/retention', headers: officerSession.headers })).statusCode,
    ).toBe(403)
  })

  it('one run a day whatever the number of instances: the day is the job’s key', async () => {
    const at = Date.now()
    await scheduleRetention(t.jobs, at)
    await scheduleRetention(t.jobs, at + 1000) // a second instance starting
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from jobs where queue = ${RETENTION_QUEUE}`,
    )
    expect(row!.n).toBe(2) // today and tomorrow, once each
    // The admin page says when the queued run is due: today's, until it is claimed.
    const admin = await signInAs(t.app, await buildAdmin(t.db))
    const page = await t.app.inject({ url: '/api/admin/retention', headers: admin.headers })
    expect(page.json().nextRunAt).toBe(new Date(at).toISOString())
    await t.db.execute(
      sql`update jobs set status = 'succeeded' where queue = ${RETENTION_QUEUE} and run_at <= now()`,
    )
    const later = await t.app.inject({ url: '/api/admin/retention', headers: admin.headers })
    const tomorrow = Math.floor(at / 86_400_000) * 86_400_000 + 86_400_000 + 3 * 3_600_000
    expect(later.json().nextRunAt).toBe(new Date(tomorrow).toISOString())
  })
})
