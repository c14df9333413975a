import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { alertAnswers, alerts, guestLists, helpResponses, smsInbound, smsSends } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import {
  buildAdmin,
  buildArea,
  buildCase,
  buildDirectConversation,
  buildEvidence,
  buildGroup,
  buildHelpRequest,
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

/**
 * SMS of one resident around the clock: a ledger row 13 months old and one a month old, an inbound
 * SMS filed long ago, one filed 10 days ago and one waiting. Returns the check to run after retention.
 */
async function smsRows(clock: Date) {
  const ward = await buildWard(t.db)
  const resident = await buildResident(t.db, { area: await buildArea(t.db, { parent: ward }) })
  const send = (text: string, createdAt: Date) =>
    t.db.insert(smsSends).values({
      unitId: ward.id,
      purpose: 'reply',
      userId: resident.id,
      phone: resident.phone!,
      text,
      encoding: 'gsm7',
      segments: 1,
      costVnd: 800,
      status: 'sent',
      createdAt,
    })
  await send('cu', new Date(clock.getTime() - 13 * 30.5 * DAY))
  await send('moi', new Date(clock.getTime() - 30 * DAY))
  const inbound = (providerId: string, status: 'pending' | 'processed', processedAt: Date | null) =>
    t.db.insert(smsInbound).values({
      providerId,
      sender: resident.phone!,
      content: providerId,
      receivedAt: new Date(),
      status,
      processedAt,
    })
  await inbound(`filed-old-${resident.id}`, 'processed', new Date(clock.getTime() - 31 * DAY))
  await inbound(`filed-new-${resident.id}`, 'processed', new Date(clock.getTime() - 10 * DAY))
  await inbound(`waiting-${resident.id}`, 'pending', null)
  return async () => {
    // The ledger keeps the cost (the unit's spending stays true); number and text are gone.
    const sends = await queryRows<{ phone: string; text: string; cost_vnd: number }>(
      t.db,
      sql`select phone, text, cost_vnd from sms_sends where user_id = ${resident.id} order by created_at`,
    )
    expect(sends).toEqual([
      { phone: '', text: '', cost_vnd: 800 },
      { phone: resident.phone, text: 'moi', cost_vnd: 800 },
    ])
    const left = await queryRows<{ content: string }>(
      t.db,
      sql`select content from sms_inbound where sender = ${resident.phone} order by id`,
    )
    expect(left.map((r) => r.content)).toEqual([`filed-new-${resident.id}`, `waiting-${resident.id}`])
  }
}

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
    // audit rows past 5 years go; one 4 years old by the database's clock stays, though the moved
    // clock puts it past 5 years (only the database's own clock may let a row past the trigger)
    await x(sql`insert into audit_log (at, actor_role, action, entity_type)
      values (${iso(new Date(now.getTime() - (5 * 365 + 10) * DAY))}::timestamptz, 'officer', 'retention.expired', 'test'),
             (${iso(new Date(now.getTime() - 4 * 365 * DAY))}::timestamptz, 'officer', 'retention.four_years', 'test')`)
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

    // cases closed long ago (one referred to investigators), one closed recently: staff evidence,
    // and a request for help with an answer and its clip
    const caseWithFiles = async (closedAt: Date, outcome: 'unfounded' | 'referred_to_investigators') => {
      const caseRow = await buildCase(t.db, {
        area,
        createdById: officer.id,
        status: 'closed',
        closedAt,
        outcome,
        title: `Trộm xe nhà ông Tư ${outcome}`,
      })
      await x(sql`update cases set description = 'Ông Tư, 0912 345 678, mất xe', address_text = '12 ngõ 5',
        lat = 21.02, lng = 105.85, outcome_note = 'Đã gặp ông Tư' where id = ${caseRow.id}`)
      await x(sql`insert into case_events (case_id, actor_id, type, data) values
        (${caseRow.id}, ${officer.id}, 'created', ${JSON.stringify({ title: caseRow.title })}::jsonb),
        (${caseRow.id}, ${officer.id}, 'note', '{"body":"Ông Tư gọi lại"}'::jsonb),
        (${caseRow.id}, ${officer.id}, 'status_changed', '{"from":"new","to":"closed"}'::jsonb)`)
      const help = await buildHelpRequest(t.db, { caseRow, area, createdById: officer.id })
      const [answer] = await t.db
        .insert(helpResponses)
        .values({
          helpRequestId: help.id,
          responderId: resident.id,
          body: `Camera nhà ${outcome}`,
          clientKey: caseRow.id,
        })
        .returning()
      const staffFile = await buildEvidence(t.db, {
        caseId: caseRow.id,
        addedByRole: 'staff',
        storageKey: `c/${caseRow.id}`,
        sha256: await put(`c/${caseRow.id}`),
        size: 1,
      })
      const answerFile = await buildEvidence(t.db, {
        helpResponseId: answer!.id,
        addedByRole: 'helper',
        storageKey: `h/${answer!.id}`,
        sha256: await put(`h/${answer!.id}`),
        size: 1,
      })
      return { caseRow, help, answer: answer!, files: [staffFile, answerFile] }
    }
    const oldCase = await caseWithFiles(now, 'unfounded')
    const referredCase = await caseWithFiles(now, 'referred_to_investigators')
    const youngCase = await caseWithFiles(young(30), 'unfounded')
    // answers to an alert: one became the old tip, one became nothing long ago, one is recent
    const [alert] = await t.db
      .insert(alerts)
      .values({
        kind: 'missing_person',
        state: 'active',
        categories: ['Safety'],
        event: 'Trẻ lạc',
        urgency: 'Immediate',
        severity: 'Moderate',
        certainty: 'Likely',
        headline: 'Tìm trẻ lạc',
        scopeKind: 'unit',
        issuingUnitId: ward.id,
        issuingUnitPath: ward.path,
        authorId: officer.id,
      })
      .returning()
    const answers = await t.db
      .insert(alertAnswers)
      .values([
        {
          alertId: alert!.id,
          authorId: resident.id,
          body: 'Thấy cháu ở chợ (thành tin báo)',
          tipId: oldTip.id,
        },
        { alertId: alert!.id, authorId: resident.id, body: 'Thấy cháu ở bến xe', createdAt: now },
        { alertId: alert!.id, authorId: resident.id, body: 'Thấy cháu hôm qua', createdAt: young(1) },
      ])
      .returning()
    // a guest list whose guest's report is anonymised, and a recent one
    const guestList = async (createdAt: Date, closedAt: Date) => {
      const [list] = await t.db
        .insert(guestLists)
        .values({
          reporterId: resident.id,
          areaId: area.id,
          areaPath: area.path,
          address: 'Nhà nghỉ Hoa Sen, 12 ngõ 5',
          source: 'form',
          clientKey: `gl-${createdAt.getTime()}`,
          guestCount: 1,
          foreignCount: 0,
          createdAt,
        })
        .returning()
      await buildResidenceReport(t.db, {
        area,
        status: 'confirmed',
        closedAt,
        guestListId: list!.id,
        kind: 'guest',
      })
      return list!
    }
    const oldList = await guestList(now, now)
    const youngList = await guestList(young(30), young(30))

    const checkSms = await smsRows(clock)

    const removed = await runRetention({ db: t.db, storage: t.storage, now: () => clock })
    await checkSms()
    expect(removed).toMatchObject({
      sms_sends: 1,
      sms_inbound: 1,
      audit_origins: 1,
      audit_log: 1,
      tips: 1,
      direct_messages: 1,
      hidden_group_messages: 1,
      residence_reports: 2,
      register_people: 1,
      case_files: 3,
      case_text: 1,
      alert_answers: 2,
      guest_lists: 1,
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
      await queryRows(
        t.db,
        sql`select action from audit_log where action like 'retention.%' and action <> 'retention.old' order by at`,
      ),
    ).toEqual([{ action: 'retention.four_years' }, { action: 'retention.young' }])
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

    // Closed cases: the old one's answer text and files' bytes are gone (records and hashes kept),
    // the referred one keeps everything, the recent one too.
    const answerBody = async (id: string) =>
      (await one<{ body: string }>(sql`select body from help_responses where id = ${id}`))!.body
    expect(await answerBody(oldCase.answer.id)).toBe('')
    expect(await answerBody(referredCase.answer.id)).toBe('Camera nhà referred_to_investigators')
    expect(await answerBody(youngCase.answer.id)).toBe('Camera nhà unfounded')
    // the emptied answer no longer names who wrote it; the kept ones still do
    const responders = await queryRows<{ id: string; responder_id: string | null }>(
      t.db,
      sql`select id, responder_id from help_responses
          where id in (${oldCase.answer.id}, ${referredCase.answer.id}, ${youngCase.answer.id})`,
    )
    expect(Object.fromEntries(responders.map((r) => [r.id, r.responder_id]))).toEqual({
      [oldCase.answer.id]: null,
      [referredCase.answer.id]: resident.id,
      [youngCase.answer.id]: resident.id,
    })
    for (const f of oldCase.files) {
      expect(await t.storage.stat(f.storageKey), f.storageKey).toBeUndefined()
      expect(
        await one(sql`select sha256, bytes_removed_reason as r from evidence_files where id = ${f.id}`),
      ).toEqual({
        sha256: f.sha256,
        r: 'retention',
      })
    }
    // The old case's own text and place go, its timeline keeps its events without their text; the
    // referred and the recent case keep theirs.
    const caseText = async (c: typeof oldCase) => ({
      case: await one(sql`select title, description, address_text, lat, outcome_note, category, outcome
                           from cases where id = ${c.caseRow.id}`),
      events: await queryRows(
        t.db,
        sql`select type, data from case_events where case_id = ${c.caseRow.id} order by id`,
      ),
      help: await one(sql`select description, place_text from help_requests where id = ${c.help.id}`),
    })
    expect(await caseText(oldCase)).toEqual({
      case: {
        title: '',
        description: '',
        address_text: null,
        lat: null,
        outcome_note: null,
        category: 'theft',
        outcome: 'unfounded',
      },
      events: [
        { type: 'created', data: {} },
        { type: 'note', data: {} },
        { type: 'status_changed', data: { from: 'new', to: 'closed' } },
      ],
      help: { description: '', place_text: '' },
    })
    for (const c of [referredCase, youngCase]) {
      const kept = await caseText(c)
      expect(kept.case).toMatchObject({ title: c.caseRow.title, description: 'Ông Tư, 0912 345 678, mất xe' })
      expect(kept.events[1]).toEqual({ type: 'note', data: { body: 'Ông Tư gọi lại' } })
      expect(kept.help!.description).not.toBe('')
    }
    // the timeline stays append-only outside case_remove_text
    await expect(
      x(sql`update case_events set data = '{}'::jsonb where case_id = ${youngCase.caseRow.id}`),
    ).rejects.toThrow()
    for (const f of [...referredCase.files, ...youngCase.files])
      expect(await t.storage.stat(f.storageKey)).toBeDefined()
    // Alert answers: the one that became the emptied tip and the old one that became none are emptied.
    expect(
      await queryRows(
        t.db,
        sql`select body from alert_answers where alert_id = ${alert!.id} order by created_at`,
      ),
    ).toEqual([{ body: '' }, { body: '' }, { body: answers[2]!.body }])
    // Guest lists: the establishment's address goes with its guests' names, not before.
    expect(await one(sql`select address from guest_lists where id = ${oldList.id}`)).toEqual({ address: '' })
    expect(await one(sql`select address from guest_lists where id = ${youngList.id}`)).toEqual({
      address: 'Nhà nghỉ Hoa Sen, 12 ngõ 5',
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

  it('the audit log stays append-only: only the retention function deletes, and only past 5 years', async () => {
    const yearsAgo = (y: number) => new Date(Date.now() - (y * 365 + 2) * DAY).toISOString()
    const rows = await queryRows<{ id: string; action: string }>(
      t.db,
      sql`insert into audit_log (at, actor_role, action, entity_type) values
        (${yearsAgo(6)}::timestamptz, 'officer', 'purge.six_years', 'test'),
        (${yearsAgo(1)}::timestamptz, 'officer', 'purge.one_year', 'test') returning id, action`,
    )
    const [six, oneYear] = rows
    // a plain DELETE, even of a row past 5 years, is refused
    await expect(t.db.execute(sql`delete from audit_log where id = ${six!.id}`)).rejects.toThrow()
    // setting the function's flag by hand does not reach a younger row, nor does TRUNCATE
    await expect(
      t.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('nhipcau.audit_purge', 'on', true)`)
        await tx.execute(sql`delete from audit_log where id = ${oneYear!.id}`)
      }),
    ).rejects.toThrow()
    await expect(t.db.execute(sql`truncate audit_log`)).rejects.toThrow()
    // asked for everything before tomorrow, the function still keeps the rows younger than 5 years
    const [purged] = await queryRows<{ n: number }>(
      t.db,
      sql`select audit_log_purge(now() + interval '1 day') as n`,
    )
    expect(purged!.n).toBeGreaterThanOrEqual(1)
    const left = await queryRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where action like 'purge.%'`,
    )
    expect(left).toEqual([{ action: 'purge.one_year' }])
    // and a delete after the function returned is refused again
    await expect(t.db.execute(sql`delete from audit_log where id = ${oneYear!.id}`)).rejects.toThrow()
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
