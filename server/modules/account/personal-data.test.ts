import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import {
  alertAnswers,
  alertRecipients,
  alerts,
  authFailures,
  messageEdits,
  messageFiles,
  otpCodes,
  pushSubscriptions,
  smsInbound,
  smsSends,
  tipMessages,
} from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import {
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
import { personalDataModules } from '../personal-data'
import { jpegWithExif, unzip } from '../tips/tips.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

let worlds = 0

/** A resident with something of theirs in every module, and staff who read it. */
async function residentEverywhere() {
  // Each world's resident has her own name and ID number, so one world's search never finds another's.
  worlds++
  const NAME = `Phạm Thị Xoa ${'ABCDEFGH'[worlds]}`
  const ID_NUMBER = `0011990${String(worlds).padStart(5, '0')}`
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const { user: officer } = await buildOfficer(t.db, { areas: [area] })
  const resident = await buildResident(t.db, {
    area,
    displayName: NAME,
    fullName: NAME,
    address: '99 Phố Huế',
  })
  const phone = resident.phone!
  const typed = `Tôi tên ${NAME}, CCCD ${ID_NUMBER}, số ${phone}`
  const put = async (key: string, bytes: Buffer) => (await t.storage.put(key, bytes)).sha256

  // messaging: both sides name her; an edit kept the earlier text; a photo; a push preview queued for the officer
  const conv = await buildDirectConversation(t.db, { resident, area, assignee: officer })
  const mine = await buildMessage(t.db, { conversation: conv, author: resident, body: typed })
  await buildMessage(t.db, { conversation: conv, author: officer, body: `Chào chị ${NAME}, tôi đã nhận.` })
  await buildMessage(t.db, {
    conversation: conv,
    author: officer,
    body: `Ghi chú: ${NAME} ${phone}`,
    isInternal: true,
  })
  await t.db
    .insert(messageEdits)
    .values({ messageId: mine.id, editedBy: resident.id, action: 'edit', previousBody: typed })
  const photo = await jpegWithExif()
  await put(`messages/${mine.id}.jpg`, photo)
  await t.db.insert(messageFiles).values({
    conversationId: conv.id,
    uploaderId: resident.id,
    kind: 'photo',
    mime: 'image/jpeg',
    name: `${NAME}.jpg`,
    size: photo.length,
    storageKey: `messages/${mine.id}.jpg`,
  })
  const [officerDevice] = await t.db
    .insert(pushSubscriptions)
    .values({ userId: officer.id, endpoint: `https://push.example/${officer.id}`, p256dh: 'p', auth: 'a' })
    .returning()
  await t.db.execute(sql`insert into jobs (queue, payload, status, unique_key) values ('push.deliver',
    ${JSON.stringify({ subscriptionId: officerDevice!.id, payload: { title: 't', body: typed, url: '/' } })}::jsonb,
    'succeeded', ${`push:message:${mine.id}:${officerDevice!.id}`})`)

  // groups
  const { conversation: groupConv } = await buildGroup(t.db, {
    unit: area,
    owner: officer,
    members: [resident],
  })
  await buildMessage(t.db, {
    conversation: groupConv,
    author: resident,
    body: `Nhà ${NAME} mất xe, gọi ${phone}`,
  })

  // tips: one on its own (erased), one on an open case (kept for the case)
  const tip = await buildTip(t.db, {
    area,
    submitterId: resident.id,
    description: typed,
    assigneeId: officer.id,
  })
  await t.db.insert(tipMessages).values({ tipId: tip.id, authorKind: 'tipster', body: `Gọi tôi: ${phone}` })
  const tipPhoto = await buildEvidence(t.db, {
    tipId: tip.id,
    storageKey: `evidence/${tip.id}.jpg`,
    sha256: await put(`evidence/${tip.id}.jpg`, photo),
    size: photo.length,
  })
  const openCase = await buildCase(t.db, { area, createdById: officer.id, title: 'Mất trộm xe máy' })
  const keptTip = await buildTip(t.db, {
    area,
    submitterId: resident.id,
    description: `Người làm chứng ${NAME}, CCCD ${ID_NUMBER}`,
    caseId: openCase.id,
    contactPreference: 'phone_call',
  })
  const keptPhoto = await buildEvidence(t.db, {
    tipId: keptTip.id,
    storageKey: `evidence/${keptTip.id}.jpg`,
    sha256: await put(`evidence/${keptTip.id}.jpg`, photo),
    size: photo.length,
  })

  // help requests: an answer to the open case (kept for it, unsigned) and one to a case closed
  // three years ago (erased, with its file)
  const openHelp = await buildHelpRequest(t.db, { caseRow: openCase, area, createdById: officer.id })
  const [keptResponse] = await queryRows<{ id: string }>(
    t.db,
    sql`insert into help_responses (help_request_id, responder_id, body, client_key)
        values (${openHelp.id}, ${resident.id}, 'Camera quay được xe máy lúc 22:10', 'k0') returning id`,
  )
  const oldCase = await buildCase(t.db, {
    area,
    createdById: officer.id,
    status: 'closed',
    closedAt: new Date(Date.now() - 3 * 365 * 86_400_000),
  })
  const help = await buildHelpRequest(t.db, { caseRow: oldCase, area, createdById: officer.id })
  const [response] = await queryRows<{ id: string }>(
    t.db,
    sql`insert into help_responses (help_request_id, responder_id, body, client_key)
        values (${help.id}, ${resident.id}, ${`Camera nhà ${NAME} có quay được`}, 'k1') returning id`,
  )
  const helpFile = await buildEvidence(t.db, {
    helpResponseId: response!.id,
    addedById: resident.id,
    addedByRole: 'helper',
    storageKey: `evidence/${response!.id}.jpg`,
    sha256: await put(`evidence/${response!.id}.jpg`, photo),
    size: photo.length,
  })

  // alerts
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
  await t.db
    .insert(alertRecipients)
    .values({ alertId: alert!.id, userId: resident.id, deliveredAt: new Date() })
  await t.db
    .insert(alertAnswers)
    .values({ alertId: alert!.id, authorId: resident.id, body: `${NAME} thấy cháu, gọi ${phone}` })

  // movements: a pending report (erased) and a confirmed one with its register line (kept by law)
  await buildResidenceReport(t.db, { area, reporter: resident, fullName: NAME, idNumber: ID_NUMBER })
  const confirmed = await buildResidenceReport(t.db, {
    area,
    reporter: resident,
    fullName: NAME,
    idNumber: ID_NUMBER,
    status: 'confirmed',
    closedAt: new Date(),
  })
  const person = await buildRegisterPerson(t.db, {
    area,
    actor: officer,
    fullName: NAME,
    idNumber: ID_NUMBER,
  })
  await t.db.execute(
    sql`update register_events set report_id = ${confirmed.id} where person_id = ${person.id}`,
  )

  // push subscriptions and a delivered push to her
  const [device] = await t.db
    .insert(pushSubscriptions)
    .values({
      userId: resident.id,
      endpoint: `https://push.example/${resident.id}`,
      p256dh: 'p',
      auth: 'a',
      userAgent: 'Firefox',
    })
    .returning()
  await t.db.execute(sql`insert into jobs (queue, payload, status) values ('push.deliver',
    ${JSON.stringify({ subscriptionId: device!.id, payload: { title: 't', body: `Chào ${NAME}`, url: '/' } })}::jsonb, 'succeeded')`)

  // sms: an answer sent to her by SMS, and her SMS reply from her number
  await t.db.insert(smsSends).values({
    unitId: ward.id,
    purpose: 'reply',
    userId: resident.id,
    phone,
    text: `Chào chị ${NAME}, mời chị lên phường.`,
    encoding: 'ucs2',
    segments: 1,
    costVnd: 800,
    status: 'sent',
  })
  await t.db.insert(smsInbound).values({
    providerId: `mo-${worlds}-${resident.id}`,
    sender: phone,
    content: `Toi la ${NAME}, cam on`,
    receivedAt: new Date(),
    status: 'processed',
  })

  // account: sign-in code and failure counter
  await t.db
    .insert(otpCodes)
    .values({ phone, codeHash: 'h', expiresAt: new Date(Date.now() + 60_000), ip: '10.0.0.9' })
  await t.db.insert(authFailures).values({ kind: 'otp', subject: phone, ip: '10.0.0.9' })

  const session = await signInAs(t.app, resident)
  const staff = await signInAs(t.app, officer)
  // Staff reads of her data, each of another kind
  expect((await t.app.inject({ url: `/api/tips/${tip.id}`, headers: staff.headers })).statusCode).toBe(200)
  expect(
    (await t.app.inject({ url: `/api/conversations/${conv.id}/messages`, headers: staff.headers }))
      .statusCode,
  ).toBe(200)
  expect(
    (await t.app.inject({ url: `/api/evidence/${tipPhoto.id}`, headers: staff.headers })).statusCode,
  ).toBe(200)
  return {
    NAME,
    ID_NUMBER,
    resident,
    phone,
    session,
    staff,
    tip,
    keptTip,
    keptPhoto,
    tipPhoto,
    helpFile,
    conv,
    confirmed,
    person,
    openCase,
    keptResponse: keptResponse!,
  }
}

/** Every text, varchar, array and jsonb column of every table holding one of the needles: table and row. */
async function findEverywhere(db: DbOrTx, needles: string[]) {
  const columns = await queryRows<{ table_name: string; column_name: string }>(
    db,
    sql`select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
          and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
  )
  expect(columns.length).toBeGreaterThan(50)
  const hits: { table: string; column: string; id: string | null }[] = []
  for (const c of columns) {
    const rows = await queryRows<{ row: Record<string, unknown> }>(
      db,
      sql`select to_jsonb(x) as row from ${sql.identifier(c.table_name)} x
          where ${sql.identifier(c.column_name)}::text ilike any(${`{${needles.map((n) => `"%${n}%"`).join(',')}}`}::text[])`,
    )
    for (const r of rows)
      hits.push({ table: c.table_name, column: c.column_name, id: (r.row.id as string | undefined) ?? null })
  }
  return hits
}

describe('personal data of a resident in every module', () => {
  it('the export is one ZIP with every module, her files, a Vietnamese README and every staff read', async () => {
    const w = await residentEverywhere()
    const { NAME, ID_NUMBER } = w
    const res = await t.app.inject({ url: '/api/me/export', headers: w.session.headers })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/zip')
    const zip = await unzip(res.rawPayload)
    for (const m of personalDataModules) expect(zip.has(`${m.name}.json`), m.name).toBe(true)
    const json = (name: string) => JSON.parse(zip.get(`${name}.json`)!.toString('utf8'))
    expect(json('account').profile).toMatchObject({ phone: w.phone, fullName: NAME })
    expect(json('messaging').conversations[0].messages.map((m: { body: string }) => m.body)).toEqual([
      expect.stringContaining(ID_NUMBER),
      `Chào chị ${NAME}, tôi đã nhận.`,
    ]) // the officer's internal note is not hers to see
    expect(json('groups').memberships).toHaveLength(1)
    expect(json('groups').messages[0].body).toContain(NAME)
    expect(
      json('tips')
        .map((x: { id: string }) => x.id)
        .sort(),
    ).toEqual([w.tip.id, w.keptTip.id].sort())
    expect(json('help_requests').map((a: { answer: string }) => a.answer)).toEqual([
      'Camera quay được xe máy lúc 22:10',
      expect.stringContaining(NAME),
    ])
    expect(json('alerts').answers[0].answer).toContain(NAME)
    expect(json('alerts').received).toHaveLength(1)
    expect(json('movements')).toHaveLength(2)
    expect(json('sms').sent[0]).toMatchObject({
      purpose: 'reply',
      to: w.phone,
      text: expect.stringContaining(NAME),
    })
    expect(json('sms').received[0].text).toContain(NAME)
    expect(json('push_subscriptions')[0]).toMatchObject({ service: 'push.example', browser: 'Firefox' })
    const reads = json('audit').accessLog.map((r: { action: string }) => r.action)
    expect(reads).toEqual(expect.arrayContaining(['tip.sender_read', 'conversation.read', 'evidence.read']))
    // her own files, byte for byte
    const photos = [...zip.keys()].filter((k) => k.startsWith('files/'))
    expect(photos).toEqual(
      expect.arrayContaining([
        `files/tips/${w.tipPhoto.id}.jpg`,
        `files/tips/${w.keptPhoto.id}.jpg`,
        `files/help_requests/${w.helpFile.id}.jpg`,
        expect.stringMatching(/^files\/messages\/.+\.jpg$/),
      ]),
    )
    const readme = zip.get('README.txt')!.toString('utf8')
    expect(readme).toContain('DỮ LIỆU CỦA ANH/CHỊ TRÊN NHỊP CẦU')
    for (const m of personalDataModules) expect(readme).toContain(`${m.name}.json`)
  })

  it('reads are audited once per session and hour (evidence, conversations)', async () => {
    const w = await residentEverywhere()
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ url: `/api/evidence/${w.tipPhoto.id}`, headers: w.staff.headers })
      await t.app.inject({ url: `/api/conversations/${w.conv.id}/messages`, headers: w.staff.headers })
    }
    const rows = await queryRows<{ action: string; details: Record<string, unknown> }>(
      t.db,
      sql`select action, details from audit_log where entity_id in (${w.tipPhoto.id}, ${w.conv.id}) order by id`,
    )
    expect(rows.map((r) => r.action)).toEqual(['conversation.read', 'evidence.read'])
    expect(rows[1]!.details).toMatchObject({
      sha256: w.tipPhoto.sha256,
      variant: 'original',
      subjectUserIds: [w.resident.id],
    })
  })

  it('erasing leaves her name, phone and ID number only in the records kept under a legal basis, listed first', async () => {
    const w = await residentEverywhere()
    const needles = [w.NAME, w.phone, w.ID_NUMBER]
    const before = await findEverywhere(t.db, needles)
    expect(new Set(before.map((h) => h.table))).toEqual(
      new Set([
        'users',
        'messages',
        'message_edits',
        'message_files',
        'jobs',
        'tips',
        'tip_messages',
        'help_responses',
        'alert_answers',
        'residence_reports',
        'register_people',
        'sms_sends',
        'sms_inbound',
        'otp_codes',
        'auth_failures',
      ]),
    )

    const preview = await t.app.inject({ url: '/api/me/deletion-preview', headers: w.session.headers })
    expect(preview.statusCode).toBe(200)
    const { items, records } = preview.json() as {
      items: { table: string; id: string; reason: string }[]
      records: { table: string; id: string }[]
    }
    expect(items.map((i) => `${i.table}:${i.id}`).sort()).toEqual(
      [
        `tips:${w.keptTip.id}`,
        `evidence_files:${w.keptPhoto.id}`,
        `help_responses:${w.keptResponse.id}`,
        `residence_reports:${w.confirmed.id}`,
      ].sort(),
    )
    expect(items.find((i) => i.table === 'tips')!.reason).toContain('VV-')

    const del = await t.app.inject({ method: 'DELETE', url: '/api/me', headers: w.session.headers })
    expect(del.statusCode).toBe(204)

    const kept = new Set(records.map((r) => `${r.table}:${r.id}`))
    const after = await findEverywhere(t.db, needles)
    expect(after.filter((h) => !kept.has(`${h.table}:${h.id}`))).toEqual([])
    expect(after.map((h) => h.table).sort()).toEqual(
      [
        'register_people',
        'register_people',
        'register_people',
        'residence_reports',
        'residence_reports',
        'tips',
      ].sort(),
    )
    // the kept tip lost its link to her; its photo is still evidence; erased files' bytes are gone
    const [keptTip] = await queryRows<{ submitter_id: string | null; contact_preference: string }>(
      t.db,
      sql`select submitter_id, contact_preference from tips where id = ${w.keptTip.id}`,
    )
    expect(keptTip).toEqual({ submitter_id: null, contact_preference: 'none' })
    expect(await t.storage.stat(w.keptPhoto.storageKey)).toBeDefined()
    expect(await t.storage.stat(w.tipPhoto.storageKey)).toBeUndefined()
    expect(await t.storage.stat(w.helpFile.storageKey)).toBeUndefined()
    const [removed] = await queryRows<{ sha256: string; bytes_removed_reason: string }>(
      t.db,
      sql`select sha256, bytes_removed_reason from evidence_files where id = ${w.tipPhoto.id}`,
    )
    expect(removed).toEqual({ sha256: w.tipPhoto.sha256, bytes_removed_reason: 'erasure' })
    const staffRead = await t.app.inject({ url: `/api/evidence/${w.tipPhoto.id}`, headers: w.staff.headers })
    expect(staffRead.statusCode).toBe(404)
    const leftovers = await queryRows<{ n: number }>(
      t.db,
      sql`select (select count(*) from push_subscriptions where user_id = ${w.resident.id})::int
               + (select count(*) from group_members where user_id = ${w.resident.id})::int
               + (select count(*) from alert_recipients where user_id = ${w.resident.id})::int
               + (select count(*) from help_responses where responder_id = ${w.resident.id})::int
               + (select count(*) from sessions where user_id = ${w.resident.id} and (ip is not null or user_agent is not null))::int as n`,
    )
    expect(leftovers[0]!.n).toBe(0)
    // the officer still reads the kept answer for the case, no longer linked to anyone
    const caseView = await t.app.inject({ url: `/api/cases/${w.openCase.id}`, headers: w.staff.headers })
    expect(caseView.statusCode).toBe(200)
    const answers = (
      caseView.json() as { helpRequests: { responses: { id: string; body: string; responder: unknown }[] }[] }
    ).helpRequests.flatMap((h) => h.responses)
    expect(answers).toEqual([
      expect.objectContaining({
        id: w.keptResponse.id,
        body: 'Camera quay được xe máy lúc 22:10',
        responder: null,
      }),
    ])
  })

  it('evidence rows stay append-only outside the one database function', async () => {
    const w = await residentEverywhere()
    await expect(
      t.db.execute(sql`update evidence_files set bytes_removed_at = now() where id = ${w.tipPhoto.id}`),
    ).rejects.toThrow()
    await expect(
      t.db.execute(sql`select * from evidence_remove_bytes(${w.tipPhoto.id}, 'because')`),
    ).rejects.toThrow()
    const [row] = await queryRows<{ storage_key: string }>(
      t.db,
      sql`select * from evidence_remove_bytes(${w.tipPhoto.id}, 'quarantine')`,
    )
    expect(row!.storage_key).toBe(w.tipPhoto.storageKey)
    await expect(
      t.db.execute(sql`update evidence_files set note = 'x' where id = ${w.tipPhoto.id}`),
    ).rejects.toThrow()
  })
})
