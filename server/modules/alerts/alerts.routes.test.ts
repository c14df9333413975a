import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { alertRecipients, auditLog, messages, tips } from '../../db/schema/index'
import { buildAlertsWorld, buildAreaGroup, buildResident } from '../../test/factories/index'
import { startFakePushService } from '../../test/fakes/fake-push-service'
import { createTestApp, type TestContext } from '../../test/test-app'
import { pushTopic } from '../notifications/web-push-sender'
import { alertDeliverySettings } from './alert-delivery'
import { as, drainJobs, foundPerson, publish, subscribePush } from './alerts.test-helpers'

let t: TestContext
let push: Awaited<ReturnType<typeof startFakePushService>>
let w: Awaited<ReturnType<typeof buildAlertsWorld>>

beforeAll(async () => {
  t = await createTestApp()
  push = await startFakePushService()
  alertDeliverySettings.pushGraceMs = 0
})
afterAll(async () => {
  await push.close()
  await t.close()
})
beforeEach(async () => {
  w = await buildAlertsWorld(t.db)
})

describe('composing and approving', () => {
  it('previews how many residents a ward and its neighbour would reach, and says it needs approval', async () => {
    const officer = await as(t.app, w.officer)
    const res = await officer.call('POST', '/api/alerts/preview', { scope: { kind: 'unit_neighbours' } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ residents: 3, needsApproval: true })
    expect(
      res
        .json()
        .units.map((u: { id: string }) => u.id)
        .sort(),
    ).toEqual([w.ward.id, w.neighbourWard.id].sort())
    const own = await officer.call('POST', '/api/alerts/preview', {
      scope: { kind: 'areas', unitIds: [w.area.id] },
    })
    expect(own.json()).toMatchObject({ residents: 1, needsApproval: false })
  })

  it('keeps a wide alert from residents until the commander approves it', async () => {
    const sent = await publish(t.app, w.officer, foundPerson())
    expect(sent.state).toBe('pending_approval')
    const neighbour = await as(t.app, w.neighbourResident)
    expect((await neighbour.call('GET', '/api/alerts')).json().items).toEqual([])
    expect((await neighbour.call('GET', `/api/alerts/${sent.id}`)).statusCode).toBe(404)

    // The officer may not approve their own wide alert; the neighbour ward's commander has no say.
    expect(
      (await (await as(t.app, w.officer)).call('POST', `/api/alerts/${sent.id}/approve`)).statusCode,
    ).toBe(403)
    const approved = await (await as(t.app, w.commander)).call('POST', `/api/alerts/${sent.id}/approve`)
    expect(approved.statusCode, approved.body).toBe(200)
    expect(approved.json()).toMatchObject({ state: 'active', isLive: true, version: 1, lastMsgType: 'Alert' })
    expect(approved.json().stats).toMatchObject({ targeted: 3, delivered: 0, read: 0 })

    const list = (await neighbour.call('GET', '/api/alerts')).json().items
    expect(list.map((a: { id: string }) => a.id)).toEqual([sent.id])
    expect(list[0].stats).toBeUndefined()
    const far = await as(t.app, w.farResident)
    expect((await far.call('GET', '/api/alerts')).json().items).toEqual([])
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, sent.id), eq(auditLog.action, 'alert.approve')))
    expect(entry?.actorId).toBe(w.commander.id)
  })

  it("publishes to the officer's own unit at once, and follows a unit's own threshold", async () => {
    const direct = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    expect(direct.state).toBe('active')
    const commander = await as(t.app, w.commander)
    const set = await commander.call('PUT', `/api/alerts/units/${w.ward.id}/settings`, {
      approvalAbove: 'areas',
    })
    expect(set.statusCode, set.body).toBe(200)
    const next = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    expect(next.state).toBe('pending_approval')
  })

  it('lets a commander reject with a reason; the officer edits and resubmits', async () => {
    const sent = await publish(t.app, w.officer, foundPerson())
    const commander = await as(t.app, w.commander)
    const rejected = await commander.call('POST', `/api/alerts/${sent.id}/reject`, {
      reason: 'Che mặt cụ trong ảnh',
    })
    expect(rejected.json()).toMatchObject({ state: 'rejected', rejectedReason: 'Che mặt cụ trong ảnh' })
    const officer = await as(t.app, w.officer)
    const edited = await officer.call('PATCH', `/api/alerts/${sent.id}`, {
      headline: 'Tìm người thân cho cụ bà (đã sửa)',
    })
    expect(edited.json()).toMatchObject({ state: 'draft', headline: 'Tìm người thân cho cụ bà (đã sửa)' })
    expect((await officer.call('POST', `/api/alerts/${sent.id}/submit`)).json().state).toBe(
      'pending_approval',
    )
  })

  it('names the field when the form is wrong, and changes nothing', async () => {
    const officer = await as(t.app, w.officer)
    const res = await officer.call('POST', '/api/alerts', foundPerson({ headline: 'x' }))
    expect(res.statusCode).toBe(400)
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('headline')
    // What is expected, in the reader's language: never zod's English in the Vietnamese app (issue 19).
    const headline = res.json().errors.find((e: { field: string }) => e.field === 'headline')
    expect(headline.message).not.toMatch(/Too small|expected/)
    expect(headline.message).toContain('3')
    const badKind = await officer.call('POST', '/api/alerts', { ...foundPerson(), kind: 'scam' })
    expect(badKind.json().errors[0]).toMatchObject({
      field: 'kind',
      message: expect.not.stringMatching(/Invalid/),
    })
    const english = await t.app.inject({
      method: 'POST',
      url: '/api/alerts',
      headers: { ...officer.headers, 'accept-language': 'en' },
      payload: foundPerson({ headline: 'x' }),
    })
    expect(english.json().errors[0].message).toMatch(/Too small/)
    const outside = await officer.call(
      'POST',
      '/api/alerts',
      foundPerson({ scope: { kind: 'areas', unitIds: [w.farArea.id] } }),
    )
    expect(outside.statusCode).toBe(400)
    expect(outside.json().errors[0].field).toBe('scope.unitIds')
    expect((await officer.call('GET', '/api/staff/alerts')).json().items).toEqual([])
  })

  it('does not let residents or a neighbouring officer compose for the ward', async () => {
    expect((await (await as(t.app, w.resident)).call('POST', '/api/alerts', foundPerson())).statusCode).toBe(
      403,
    )
    const neighbour = await as(t.app, w.neighbourOfficer)
    const res = await neighbour.call('POST', '/api/alerts', foundPerson({ issuingUnitId: w.ward.id }))
    expect(res.statusCode).toBe(403)
  })
})

describe('delivery', () => {
  it('reaches a resident who belongs to two areas in scope once: one row, one push', async () => {
    // Lives in `area`, and is a member of the residential group of `otherArea` (e.g. a landlord).
    await buildAreaGroup(t.db, w.otherArea, w.officer, [w.resident, w.residentOther])
    await subscribePush(t, push, w.resident.id, `twice-${w.resident.id}`)
    const sent = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id, w.otherArea.id] } }),
    )
    expect(sent.state).toBe('active')
    await drainJobs(t)
    const rows = await t.db.select().from(alertRecipients).where(eq(alertRecipients.alertId, sent.id))
    expect(rows.filter((r) => r.userId === w.resident.id)).toHaveLength(1)
    expect(rows).toHaveLength(2)
    expect(push.errors).toEqual([])
    const got = push.received.filter((r) => r.path === `/push/twice-${w.resident.id}`)
    expect(got).toHaveLength(1)
    expect(JSON.parse(got[0]!.plaintext)).toMatchObject({ url: `/alerts/${sent.id}` })
  })

  it("writes the rows of every area a batch at a time, with a group member's from outside, and no one else's", async () => {
    // A member of the ward's group who lives in the neighbouring ward (a landlord), and a resident
    // deleted before the alert: the rows are those of the audience, not of the batches' areas.
    await buildAreaGroup(t.db, w.area, w.officer, [w.resident, w.neighbourResident])
    const gone = await buildResident(t.db, { area: w.otherArea })
    await t.db.execute(sql`update users set deleted_at = now() where id = ${gone.id}`)
    const batch = alertDeliverySettings.recipientAreasPerBatch
    alertDeliverySettings.recipientAreasPerBatch = 1
    try {
      const sent = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
      await drainJobs(t)
      const rows = await t.db.select().from(alertRecipients).where(eq(alertRecipients.alertId, sent.id))
      expect(rows.map((r) => [r.userId, r.areaId]).sort()).toEqual(
        [
          [w.resident.id, w.area.id],
          [w.residentOther.id, w.otherArea.id],
          [w.neighbourResident.id, null],
        ].sort(),
      )
      const officer = await as(t.app, w.officer)
      expect((await officer.call('GET', `/api/alerts/${sent.id}`)).json().stats).toMatchObject({
        targeted: 3,
      })
    } finally {
      alertDeliverySettings.recipientAreasPerBatch = batch
    }
  })

  it('pushes with a Topic and a notification tag of the alert, and asks for an unanswered push to be resent once', async () => {
    await subscribePush(t, push, w.residentOther.id, `topic-${w.residentOther.id}`)
    const notify = vi.spyOn(t.app.push, 'notifyUsers')
    try {
      const sent = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
      await drainJobs(t)
      // A second copy (the resend of an unanswered push) replaces the first: the push service keeps
      // the newest of a Topic, and the service worker shows one notification per tag.
      const [got] = push.received.filter((r) => r.path === `/push/topic-${w.residentOther.id}`)
      expect(got?.headers.topic).toBe(pushTopic(`alert-${sent.id}`))
      expect(JSON.parse(got!.plaintext).tag).toBe(`alert-${sent.id}`)
      expect(notify.mock.calls.map((c) => c[2].resendUnconfirmed)).toEqual([true])
    } finally {
      notify.mockRestore()
    }
  })

  it('goes out before the recipient rows are written: a resident can list, open and confirm it at once', async () => {
    const sent = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    expect(sent.stats).toMatchObject({ targeted: 2 }) // counted while publishing
    const rowsOf = () => t.db.select().from(alertRecipients).where(eq(alertRecipients.alertId, sent.id))
    expect(await rowsOf()).toHaveLength(0) // written by a job, after the event went out
    const resident = await as(t.app, w.resident)
    const list = (await resident.call('GET', '/api/alerts')).json().items
    expect(list.map((a: { id: string }) => a.id)).toContain(sent.id)
    expect((await resident.call('GET', `/api/alerts/${sent.id}`)).statusCode).toBe(200)
    const receipt = await resident.call('POST', `/api/alerts/${sent.id}/receipt`, { state: 'delivered' })
    expect(receipt.statusCode, receipt.body).toBe(200)
    // Someone outside the audience is still no recipient.
    const far = await as(t.app, w.neighbourResident)
    expect(
      (await far.call('POST', `/api/alerts/${sent.id}/receipt`, { state: 'delivered' })).statusCode,
    ).toBe(404)

    await drainJobs(t)
    const rows = await rowsOf()
    expect(rows.map((r) => r.userId).sort()).toEqual([w.resident.id, w.residentOther.id].sort())
    expect(rows.find((r) => r.userId === w.resident.id)?.deliveredAt).not.toBeNull()
    const officer = await as(t.app, w.officer)
    expect((await officer.call('GET', `/api/alerts/${sent.id}`)).json().stats).toMatchObject({
      targeted: 2,
      delivered: 1,
    })
  })

  it('counts each of many devices confirming at once exactly once, retries included', async () => {
    const many = await Promise.all(Array.from({ length: 24 }, () => buildResident(t.db, { area: w.area })))
    const sent = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id] } }),
    )
    await drainJobs(t)
    const devices = await Promise.all(many.map((r) => as(t.app, r)))
    // Every device confirms, and half of them send the same receipt again (a retry), all at once.
    const sends = [...devices, ...devices.slice(0, 12)].map((d) =>
      d.call('POST', `/api/alerts/${sent.id}/receipt`, { state: 'delivered' }),
    )
    for (const res of await Promise.all(sends)) expect(res.statusCode, res.body).toBe(200)
    const officer = await as(t.app, w.officer)
    expect((await officer.call('GET', `/api/alerts/${sent.id}`)).json().stats).toMatchObject({
      targeted: 25,
      delivered: 24,
    })
  })

  it('counts many devices confirming before the recipient rows are written, once each, and no outsider', async () => {
    const many = await Promise.all(Array.from({ length: 24 }, () => buildResident(t.db, { area: w.area })))
    const sent = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id] } }),
    )
    const devices = await Promise.all(many.map((r) => as(t.app, r)))
    const far = await as(t.app, w.neighbourResident)
    // The job has not written the rows: every receipt of this moment asks the audience together.
    const sends = [...devices, ...devices.slice(0, 12)].map((d) =>
      d.call('POST', `/api/alerts/${sent.id}/receipt`, { state: 'delivered' }),
    )
    const outsider = far.call('POST', `/api/alerts/${sent.id}/receipt`, { state: 'delivered' })
    for (const res of await Promise.all(sends)) expect(res.statusCode, res.body).toBe(200)
    expect((await outsider).statusCode).toBe(404)
    await drainJobs(t)
    const officer = await as(t.app, w.officer)
    expect((await officer.call('GET', `/api/alerts/${sent.id}`)).json().stats).toMatchObject({
      delivered: 24,
    })
  })

  it("takes a device's receipts in one request, leaving out alerts that are not its own", async () => {
    const ward = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id] } }),
    )
    const other = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.otherArea.id] } }),
    )
    const resident = await as(t.app, w.resident)
    const res = await resident.call('POST', '/api/alerts/receipts', {
      receipts: [
        { alertId: ward.id, state: 'delivered' },
        { alertId: ward.id, state: 'read' },
        { alertId: other.id, state: 'delivered' },
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ recorded: [ward.id] })
    const officer = await as(t.app, w.officer)
    expect((await officer.call('GET', `/api/alerts/${ward.id}`)).json().stats).toMatchObject({
      delivered: 1,
      read: 1,
    })
    expect((await officer.call('GET', `/api/alerts/${other.id}`)).json().stats).toMatchObject({
      delivered: 0,
    })
    const empty = await resident.call('POST', '/api/alerts/receipts', { receipts: [] })
    expect(empty.statusCode).toBe(400)
  })

  it('pushes only to residents whose device has not confirmed real-time delivery', async () => {
    await subscribePush(t, push, w.resident.id, `online-${w.resident.id}`)
    await subscribePush(t, push, w.residentOther.id, `offline-${w.residentOther.id}`)
    alertDeliverySettings.pushGraceMs = 60_000
    try {
      const sent = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
      const online = await as(t.app, w.resident)
      expect(
        (await online.call('POST', `/api/alerts/${sent.id}/receipt`, { state: 'delivered' })).statusCode,
      ).toBe(200)
      await t.db.execute(sql`update jobs set run_at = now() where queue = 'alerts.push'`)
    } finally {
      alertDeliverySettings.pushGraceMs = 0
    }
    await drainJobs(t)
    expect(push.received.filter((r) => r.path === `/push/online-${w.resident.id}`)).toHaveLength(0)
    expect(push.received.filter((r) => r.path === `/push/offline-${w.residentOther.id}`)).toHaveLength(1)
  })

  it('posts into the residential groups in scope, once', async () => {
    const { conversation } = await buildAreaGroup(t.db, w.neighbourArea, w.neighbourOfficer, [
      w.neighbourResident,
    ])
    const sent = await publish(t.app, w.commander, foundPerson())
    expect(sent.state).toBe('active')
    await drainJobs(t)
    await drainJobs(t)
    const posts = await t.db.select().from(messages).where(eq(messages.conversationId, conversation.id))
    expect(posts).toHaveLength(1)
    expect(posts[0]!.body).toContain('Tìm người thân cho cụ bà')
    expect(posts[0]!.body).toContain(`/alerts/${sent.id}/share`)
    // The group's alert card is drawn from the payload: headline, kind, what it says, where it was sent.
    expect(posts[0]!.payload).toEqual({
      alertId: sent.id,
      version: 1,
      kind: 'found_person',
      msgType: 'Alert',
      headline: sent.headline,
      text: sent.description,
      areas: expect.arrayContaining([w.ward.name, w.neighbourWard.name]),
    })
  })

  it('appends an update to the history, never replacing the description; residents and groups get the new words', async () => {
    const { conversation } = await buildAreaGroup(t.db, w.area, w.officer, [w.resident])
    await subscribePush(t, push, w.resident.id, `update-${w.resident.id}`)
    const sent = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    const officer = await as(t.app, w.officer)
    const news = 'Cụ bà được thấy ở chợ Mơ lúc 9 giờ sáng nay, mặc áo len xanh.'
    const updated = await officer.call('POST', `/api/alerts/${sent.id}/updates`, { note: news })
    expect(updated.statusCode, updated.body).toBe(200)
    expect(updated.json()).toMatchObject({ description: sent.description, version: 2 })

    const resident = await as(t.app, w.resident)
    const seen = (await resident.call('GET', `/api/alerts/${sent.id}`)).json()
    expect(seen.description).toBe(sent.description)
    expect(seen.history).toEqual([{ version: 2, msgType: 'Update', sent: expect.any(String), note: news }])
    expect(seen.messages).toBeUndefined()

    // The description cannot be sent as an update: it would be lost for everyone who shared the alert.
    const replace = await officer.call('POST', `/api/alerts/${sent.id}/updates`, {
      description: 'Đã tìm thấy',
    })
    expect(replace.statusCode).toBe(400)

    await drainJobs(t)
    await drainJobs(t)
    const posts = await t.db.select().from(messages).where(eq(messages.conversationId, conversation.id))
    // One post per version; the two jobs may run in either order, each post speaks for its version.
    const bodies = posts.map((p) => p.body)
    expect(bodies).toHaveLength(2)
    expect(bodies).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${sent.headline}\n${sent.description.slice(0, 40)}`)),
        expect.stringContaining(`[Cập nhật] ${sent.headline}\n${news}`),
      ]),
    )
    // The phone's notification says it is an update, in the resident's language, with the new words.
    const pushed = push.received
      .filter((r) => r.path === `/push/update-${w.resident.id}`)
      .map((r) => JSON.parse(r.plaintext) as { title: string; body: string })
    expect(pushed).toContainEqual(
      expect.objectContaining({ title: `Cập nhật: ${sent.headline}`, body: news }),
    )
    // The update's card says it is an update, with the new words and the headline unchanged.
    expect(posts.map((p) => p.payload)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ version: 2, msgType: 'Update', headline: sent.headline, text: news }),
      ]),
    )
  })

  it('counts delivered, read and shared once per person', async () => {
    const sent = await publish(t.app, w.commander, foundPerson())
    const resident = await as(t.app, w.neighbourResident)
    for (let i = 0; i < 2; i++) {
      const r1 = await resident.call('POST', `/api/alerts/${sent.id}/receipt`, { state: 'read' })
      expect(r1.statusCode, r1.body).toBe(200)
      const r2 = await resident.call('POST', `/api/alerts/${sent.id}/share`)
      expect(r2.statusCode, r2.body).toBe(204)
    }
    await (await as(t.app, null)).call('POST', `/api/alerts/${sent.id}/share`)
    const view = (await (await as(t.app, w.officer)).call('GET', `/api/alerts/${sent.id}`)).json()
    expect(view.stats).toEqual({ targeted: 3, delivered: 1, read: 1, shared: 2, answers: 0 })
    const mine = (await resident.call('GET', `/api/alerts/${sent.id}`)).json()
    expect(mine.mine.readAt).not.toBeNull()
    expect(
      (
        await (
          await as(t.app, w.farResident)
        ).call('POST', `/api/alerts/${sent.id}/receipt`, { state: 'read' })
      ).statusCode,
    ).toBe(404)
  })
})

describe('life cycle', () => {
  it('answers reach the issuing officer; the closing update reaches residents', async () => {
    const sent = await publish(t.app, w.commander, foundPerson())
    const resident = await as(t.app, w.neighbourResident)
    const answered = await resident.call('POST', `/api/alerts/${sent.id}/answers`, {
      body: 'Đây là mẹ của chị Hoa hàng xóm nhà tôi.',
    })
    expect(answered.statusCode, answered.body).toBe(201)
    // It became a tip for the ward's officer (tips are routed by area), linked to the alert by the answer.
    const [tip] = await t.db.select().from(tips).where(eq(tips.id, answered.json().tipId))
    expect(tip).toMatchObject({
      assigneeId: w.officer.id,
      submitterId: w.neighbourResident.id,
      unitId: w.ward.id,
    })
    expect(tip!.description).toContain('Đây là mẹ của chị Hoa hàng xóm nhà tôi.')
    const officer = await as(t.app, w.officer)
    const answers = (await officer.call('GET', `/api/alerts/${sent.id}/answers`)).json().items
    expect(answers).toHaveLength(1)
    expect(answers[0]).toMatchObject({
      body: 'Đây là mẹ của chị Hoa hàng xóm nhà tôi.',
      // The witness lives in the neighbouring ward: their phone stays there (security review F1);
      // the issuing officer reaches them through the tip, whose sender read is audited.
      author: { id: w.neighbourResident.id, phone: null },
    })
    expect((await resident.call('GET', `/api/alerts/${sent.id}/answers`)).statusCode).toBe(403)

    const closed = await officer.call('POST', `/api/alerts/${sent.id}/updates`, {
      close: { outcome: 'Cụ bà đã đoàn tụ với gia đình. Cảm ơn bà con!' },
    })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json()).toMatchObject({
      state: 'closed',
      isLive: false,
      version: 2,
      lastMsgType: 'Update',
      outcome: 'Cụ bà đã đoàn tụ với gia đình. Cảm ơn bà con!',
    })
    expect(closed.json().messages.map((m: { msgType: string }) => m.msgType)).toEqual(['Alert', 'Update'])
    const seen = (await resident.call('GET', '/api/alerts')).json().items[0]
    expect(seen).toMatchObject({
      id: sent.id,
      state: 'closed',
      outcome: 'Cụ bà đã đoàn tụ với gia đình. Cảm ơn bà con!',
    })
    expect(
      (await resident.call('POST', `/api/alerts/${sent.id}/answers`, { body: 'Còn ai cần giúp không?' }))
        .statusCode,
    ).toBe(403)
  })

  it('cancels with msgType Cancel; an expired alert is no longer live', async () => {
    const sent = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    const officer = await as(t.app, w.officer)
    const cancelled = await officer.call('POST', `/api/alerts/${sent.id}/cancel`, { note: 'Đăng nhầm' })
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', lastMsgType: 'Cancel', isLive: false })
    expect(
      (await officer.call('POST', `/api/alerts/${sent.id}/updates`, { headline: 'Sửa lại tiêu đề' }))
        .statusCode,
    ).toBe(403)

    const soon = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'unit' }, expires: new Date(Date.now() + 60_000).toISOString() }),
    )
    expect(soon.isLive).toBe(true)
    const resident = await as(t.app, w.resident)
    const visitor = await as(t.app, null)
    const publicIds = async () =>
      (await visitor.call('GET', `/api/alerts?unit=${w.ward.slug}`))
        .json()
        .items.map((a: { id: string }) => a.id)
    expect(await publicIds()).toContain(soon.id)
    // The app's clock moves past the expiry (Date only: the database and the sockets keep real time).
    vi.setSystemTime(Date.now() + 61_000)
    try {
      const after = (await resident.call('GET', `/api/alerts/${soon.id}`)).json()
      expect(after).toMatchObject({ state: 'active', isLive: false })
      expect(await publicIds()).not.toContain(soon.id)
    } finally {
      vi.useRealTimers()
    }
  })
})
