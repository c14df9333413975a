import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { alertRecipients, auditLog, messages, tips } from '../../db/schema/index'
import { buildAlertsWorld, buildAreaGroup } from '../../test/factories/index'
import { startFakePushService } from '../../test/fakes/fake-push-service'
import { createTestApp, type TestContext } from '../../test/test-app'
import { pushRepository } from '../notifications/push.repository'
import { alertDeliverySettings } from './alert-delivery'
import { as, drainJobs, foundPerson, publish } from './alerts.test-helpers'

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

async function subscribePush(userId: string, device: string) {
  const sub = push.addDevice(device)
  await pushRepository.upsert(t.db, {
    userId,
    endpoint: sub.endpoint,
    p256dh: sub.keys.p256dh,
    auth: sub.keys.auth,
  })
}

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
    await subscribePush(w.resident.id, `twice-${w.resident.id}`)
    const sent = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id, w.otherArea.id] } }),
    )
    expect(sent.state).toBe('active')
    const rows = await t.db.select().from(alertRecipients).where(eq(alertRecipients.alertId, sent.id))
    expect(rows.filter((r) => r.userId === w.resident.id)).toHaveLength(1)
    expect(rows).toHaveLength(2)
    await drainJobs(t)
    expect(push.errors).toEqual([])
    const got = push.received.filter((r) => r.path === `/push/twice-${w.resident.id}`)
    expect(got).toHaveLength(1)
    expect(JSON.parse(got[0]!.plaintext)).toMatchObject({ url: `/alerts/${sent.id}` })
  })

  it('pushes only to residents whose device has not confirmed real-time delivery', async () => {
    await subscribePush(w.resident.id, `online-${w.resident.id}`)
    await subscribePush(w.residentOther.id, `offline-${w.residentOther.id}`)
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
    expect(posts[0]!.payload).toMatchObject({ alertId: sent.id })
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
