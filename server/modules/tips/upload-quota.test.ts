import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../app'
import { queryRows } from '../../db/query'
import { helpResponses, messageFiles } from '../../db/schema/index'
import { PgJobQueue } from '../../jobs/pg-job-queue'
import { InProcessEventBus } from '../../realtime/event-bus'
import { signInAs } from '../../test/auth-helpers'
import {
  buildAdmin,
  buildArea,
  buildCase,
  buildCommander,
  buildDirectConversation,
  buildEvidence,
  buildHelpRequest,
  buildOfficer,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { testConfig } from '../../test/test-config'
import { fakeMp4, multipart, newKey } from './tips.test-support'

/** F9: anonymous senders cannot fill the disk, and a unit's storage has a hard quota. */
const KB = 1024
const limits = {
  ANON_UPLOAD_MB_PER_ADDRESS: '1',
  ANON_UPLOAD_MB_PER_DAY: '1000',
  UNIT_STORAGE_QUOTA_MB: '1',
  UNIT_STORAGE_WARN_PERCENT: '80',
}
let t: TestContext
beforeAll(async () => {
  t = await createTestApp(limits)
})
afterAll(() => t.close())

const clip = (kb: number) => ({ data: fakeMp4(kb * KB), filename: 'clip.mp4', contentType: 'video/mp4' })

async function newArea() {
  const ward = await buildWard(t.db)
  return { ward, area: await buildArea(t.db, { parent: ward }) }
}

function sendAnonymous(app: App, areaId: string, files: ReturnType<typeof clip>[], ip: string) {
  const form = multipart({ category: 'drugs', description: 'Mua bán ma tuý ở ngõ 12', areaId }, files)
  return app.inject({
    method: 'POST',
    url: '/api/tips/anonymous',
    payload: form.payload,
    remoteAddress: ip,
    headers: { ...form.headers, 'idempotency-key': newKey() },
  })
}

const evidenceCount = async () =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from evidence_files`))[0]!.n

describe('anonymous uploads (F9)', () => {
  it('take at most two videos per tip and per tip-code follow-up; photos as before', async () => {
    const { area } = await newArea()
    const before = await evidenceCount()
    const three = await sendAnonymous(t.app, area.id, [clip(8), clip(8), clip(8)], '198.51.100.1')
    expect(three.statusCode, three.body).toBe(413)
    expect(three.json().errors[0]).toMatchObject({ field: 'files' })
    expect(three.json().errors[0].message).toContain('tối đa 2 video')
    expect(await evidenceCount()).toBe(before)

    const two = await sendAnonymous(t.app, area.id, [clip(8), clip(8)], '198.51.100.1')
    expect(two.statusCode, two.body).toBe(201)
    const form = multipart({ code: two.json().tipCode, clientKey: newKey(), body: 'Thêm video' }, [
      clip(8),
      clip(8),
      clip(8),
    ])
    const more = await t.app.inject({
      method: 'POST',
      url: '/api/tips/code/messages',
      payload: form.payload,
      remoteAddress: '198.51.100.1',
      headers: form.headers,
    })
    expect(more.statusCode, more.body).toBe(413)
    expect(more.json().errors[0].message).toContain('tối đa 2 video')
  })

  it('stop one address at its daily budget, counted in the database: a second instance sees it', async () => {
    const { area } = await newArea()
    const first = await sendAnonymous(t.app, area.id, [clip(600)], '198.51.100.2')
    expect(first.statusCode, first.body).toBe(201)

    // Another instance on the same database (or this one after a restart) knows what was sent.
    const config = testConfig(limits)
    const jobs = new PgJobQueue(t.db)
    const other = await buildApp({
      config,
      database: t.database,
      bus: new InProcessEventBus(),
      jobs,
      storage: t.storage,
    })
    try {
      await other.ready()
      const before = await evidenceCount()
      const second = await sendAnonymous(other, area.id, [clip(600)], '198.51.100.2')
      expect(second.statusCode, second.body).toBe(429)
      expect(second.headers['content-type']).toContain('application/problem+json')
      expect(second.json().detail ?? second.json().title).toMatch(/Hôm nay anh\/chị đã gửi số tệp tối đa/)
      expect(await evidenceCount()).toBe(before)
      // Another address still gets through (here to another unit), and text alone always does.
      const { area: elsewhere } = await newArea()
      expect((await sendAnonymous(other, elsewhere.id, [clip(600)], '198.51.100.3')).statusCode).toBe(201)
      expect((await sendAnonymous(other, area.id, [], '198.51.100.2')).statusCode).toBe(201)
    } finally {
      await other.close()
      await jobs.stop()
    }
    // The table holds no address, only a daily keyed hash.
    const scopes = await queryRows<{ scope: string }>(t.db, sql`select scope from upload_budgets`)
    expect(scopes.map((s) => s.scope).join(' ')).not.toContain('198.51.100')
  })

  it('stop all anonymous senders together at the global daily budget (507)', async () => {
    const config = testConfig({ ...limits, ANON_UPLOAD_MB_PER_ADDRESS: '100', ANON_UPLOAD_MB_PER_DAY: '1' })
    const jobs = new PgJobQueue(t.db)
    const app = await buildApp({
      config,
      database: t.database,
      bus: new InProcessEventBus(),
      jobs,
      storage: t.storage,
    })
    try {
      await app.ready()
      await t.db.execute(sql`delete from upload_budgets`)
      const { area: a1 } = await newArea()
      const { area: a2 } = await newArea()
      expect((await sendAnonymous(app, a1.id, [clip(600)], '198.51.100.4')).statusCode).toBe(201)
      const full = await sendAnonymous(app, a2.id, [clip(600)], '198.51.100.5')
      expect(full.statusCode, full.body).toBe(507)
      expect(full.json().type).toBe('/problems/insufficient-storage')
      expect(full.json().detail ?? full.json().title).toContain('quá nhiều tệp gửi không cần tên')
    } finally {
      await app.close()
      await jobs.stop()
    }
  })
})

describe('the unit storage quota (F9)', () => {
  it('warns the unit’s commander and administrator, then refuses files past the quota (507)', async () => {
    const { ward, area } = await newArea()
    const resident = await buildResident(t.db, { area })
    const session = await signInAs(t.app, resident)
    const send = (kb: number) => {
      const form = multipart({ category: 'theft', description: 'Mất xe máy trước nhà', areaId: area.id }, [
        clip(kb),
      ])
      return t.app.inject({
        method: 'POST',
        url: '/api/tips',
        payload: form.payload,
        headers: { ...session.headers, ...form.headers, 'idempotency-key': newKey() },
      })
    }
    const { user: commander } = await buildCommander(t.db, { unit: ward })
    const { user: neighbour } = await buildCommander(t.db)
    const admin = await buildAdmin(t.db)
    const storageOf = async (user: typeof commander) => {
      const res = await t.app.inject({
        url: '/api/admin/storage',
        headers: (await signInAs(t.app, user)).headers,
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json().items.find((i: { unitId: string }) => i.unitId === ward.id)
    }

    expect((await send(500)).statusCode).toBe(201)
    expect(await storageOf(commander)).toMatchObject({ level: 'ok', quotaBytes: 1024 * KB })
    expect((await send(350)).statusCode).toBe(201)
    expect((await storageOf(commander)).level).toBe('warning')
    expect((await storageOf(admin)).level).toBe('warning')
    expect(await storageOf(neighbour)).toBeUndefined()

    const refused = await send(500)
    expect(refused.statusCode, refused.body).toBe(507)
    expect(refused.json().detail ?? refused.json().title).toContain('Bộ nhớ của đơn vị công an')
    expect((await storageOf(commander)).bytes).toBeLessThan(1024 * KB)
  })

  it('counts every file the unit holds (case evidence, answers to requests for help, conversations) and charges case and answer uploads', async () => {
    const { ward, area } = await newArea()
    const { user: officer } = await buildOfficer(t.db, { areas: [area] })
    const { user: commander } = await buildCommander(t.db, { unit: ward })
    const helper = await buildResident(t.db, { area })
    const caseRow = await buildCase(t.db, { area, createdById: officer.id, assigneeId: officer.id })
    const help = await buildHelpRequest(t.db, { caseRow, area, createdById: officer.id })
    const fake = (name: string) => ({ storageKey: `evidence/test/${name}`, sha256: name.padEnd(64, '0') })
    // Already held: 300 KB of staff evidence on the case, a 300 KB clip answering the request for
    // help, and a 100 KB photo in a resident's conversation with the area's police.
    await buildEvidence(t.db, { ...fake('case'), size: 300 * KB, caseId: caseRow.id, addedByRole: 'staff' })
    const [answer] = await t.db
      .insert(helpResponses)
      .values({ helpRequestId: help.id, responderId: helper.id, clientKey: newKey() })
      .returning()
    await buildEvidence(t.db, {
      ...fake('answer'),
      size: 300 * KB,
      helpResponseId: answer!.id,
      addedByRole: 'helper',
    })
    const conversation = await buildDirectConversation(t.db, { resident: helper, area })
    await t.db.insert(messageFiles).values({
      conversationId: conversation.id,
      uploaderId: helper.id,
      kind: 'photo',
      mime: 'image/jpeg',
      name: 'xe.jpg',
      size: 100 * KB,
      storageKey: 'messages/test/xe.jpg',
    })
    const storage = async () =>
      (await t.app.inject({ url: '/api/admin/storage', headers: (await signInAs(t.app, commander)).headers }))
        .json()
        .items.find((i: { unitId: string }) => i.unitId === ward.id)
    expect((await storage()).bytes).toBe(700 * KB)

    const officerSession = await signInAs(t.app, officer)
    const helperSession = await signInAs(t.app, helper)
    const addEvidence = (kb: number) => {
      const form = multipart({ note: 'Camera đầu ngõ' }, [clip(kb)])
      return t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseRow.id}/evidence`,
        payload: form.payload,
        headers: { ...officerSession.headers, ...form.headers },
      })
    }
    const answerWith = (kb: number) => {
      const form = multipart({ clientKey: newKey(), body: 'Camera nhà tôi' }, [clip(kb)])
      return t.app.inject({
        method: 'POST',
        url: `/api/help-requests/${help.id}/responses`,
        payload: form.payload,
        headers: { ...helperSession.headers, ...form.headers },
      })
    }
    const staffRefused = await addEvidence(400)
    expect(staffRefused.statusCode, staffRefused.body).toBe(507)
    const answerRefused = await answerWith(400)
    expect(answerRefused.statusCode, answerRefused.body).toBe(507)
    expect((await storage()).bytes).toBe(700 * KB)

    expect((await addEvidence(100)).statusCode).toBe(201)
    expect((await answerWith(100)).statusCode).toBe(201)
    expect((await storage()).bytes).toBe(900 * KB)
    expect((await storage()).level).toBe('warning')
  })
})
