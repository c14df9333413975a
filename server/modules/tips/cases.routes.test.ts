import { createHash } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceFiles, messages } from '../../db/schema/index'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import {
  buildArea,
  buildCommander,
  buildGroup,
  buildOfficer,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { fakeMp4, jpegWithExif, multipart, newKey, unzip } from './tips.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

describe('story S3: from tips to a solved case', () => {
  const ctx = {} as {
    officer: TestSession
    commander: TestSession
    neighbour: TestSession
    helper: TestSession
    bystander: TestSession
    tipIds: string[]
    caseId: string
    groupA: string
    groupB: string
    helpId: string
    photoId: string
    helperId: string
  }

  beforeAll(async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const area2 = await buildArea(t.db, { parent: ward })
    const { user: officer } = await buildOfficer(t.db, { unit: ward, areas: [area, area2] })
    const { user: commander } = await buildCommander(t.db, { unit: ward })
    const { user: neighbour } = await buildOfficer(t.db)
    const tipster = await buildResident(t.db, { area })
    const helper = await buildResident(t.db, { area })
    const bystander = await buildResident(t.db, { area: area2 })
    const a = await buildGroup(t.db, {
      unit: area,
      owner: officer,
      members: [helper, tipster],
      name: 'Tổ 1 — cư dân',
    })
    const b = await buildGroup(t.db, {
      unit: area2,
      owner: officer,
      members: [bystander],
      name: 'Tổ 2 — cư dân',
    })
    Object.assign(ctx, {
      officer: await signInAs(t.app, officer),
      commander: await signInAs(t.app, commander),
      neighbour: await signInAs(t.app, neighbour),
      helper: await signInAs(t.app, helper),
      bystander: await signInAs(t.app, bystander),
      groupA: a.group.id,
      groupB: b.group.id,
      helperId: helper.id,
      tipIds: [],
    })
    const tipsterSession = await signInAs(t.app, tipster)
    for (const description of [
      'Xe Wave biển 36 bỏ ở bãi đất trống cuối ngõ 12',
      'Có chiếc xe máy lạ để ở ngõ 12 hai ngày nay',
    ]) {
      const form = multipart({ category: 'suspicious_vehicle', description, lat: 21.01, lng: 105.85 }, [
        { data: await jpegWithExif(), filename: 'xe.jpg', contentType: 'image/jpeg' },
      ])
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/tips',
        payload: form.payload,
        headers: { ...tipsterSession.headers, ...form.headers, 'idempotency-key': newKey() },
      })
      expect(res.statusCode, res.body).toBe(201)
      ctx.tipIds.push(res.json().tip.id)
    }
  })

  it('the officer sees both tips in the queue and opens one case from them (duplicates merged)', async () => {
    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/tips?filter=mine',
      headers: ctx.officer.headers,
    })
    expect(
      queue
        .json()
        .map((x: { id: string }) => x.id)
        .sort(),
    ).toEqual([...ctx.tipIds].sort())
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      payload: { title: 'Xe máy nghi bị trộm ở ngõ 12', tipIds: [ctx.tipIds[0]], priority: 'high' },
      headers: ctx.officer.headers,
    })
    expect(res.statusCode, res.body).toBe(201)
    ctx.caseId = res.json().id
    const merged = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${ctx.caseId}/tips`,
      payload: { tipIds: [ctx.tipIds[1]] },
      headers: ctx.officer.headers,
    })
    const view = merged.json()
    expect(view.tips).toHaveLength(2)
    expect(view.evidence).toHaveLength(2)
    expect(view).toMatchObject({
      status: 'new',
      priority: 'high',
      category: 'suspicious_vehicle',
      lat: 21.01,
    })
    expect(view.timeline.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'tip_linked',
      'tip_linked',
    ])
    ctx.photoId = view.evidence[0].id
    const neighbour = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${ctx.caseId}`,
      headers: ctx.neighbour.headers,
    })
    expect(neighbour.statusCode).toBe(404)
  })

  it('publishes a request for help to two groups: a message lands in each', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${ctx.caseId}/help-requests`,
      payload: {
        description: 'Một xe Wave màu đỏ bị bỏ lại ở bãi đất trống cuối ngõ 12.',
        lookFor: 'Người dắt xe Wave đỏ vào ngõ',
        placeText: 'Camera hướng ra ngõ 12',
        windowStart: '2026-11-27T21:00:00+07:00',
        windowEnd: '2026-11-27T23:00:00+07:00',
        photoFileId: ctx.photoId,
        groupIds: [ctx.groupA, ctx.groupB],
      },
      headers: ctx.officer.headers,
    })
    expect(res.statusCode, res.body).toBe(201)
    ctx.helpId = res.json().id
    const posted = await t.db
      .select()
      .from(messages)
      .where(sql`${messages.body} like ${`%/help/${ctx.helpId}%`}`)
    expect(posted).toHaveLength(2)
    expect(posted[0]?.body).toContain('21:00')
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/help-requests/${ctx.helpId}`,
      headers: ctx.bystander.headers,
    })
    expect(seen.statusCode).toBe(200)
    expect(seen.json()).toMatchObject({
      lookFor: 'Người dắt xe Wave đỏ vào ngõ',
      caseId: null,
      status: 'open',
    })
    const photo = await t.app.inject({
      method: 'GET',
      url: seen.json().photoUrl,
      headers: ctx.bystander.headers,
    })
    expect(photo.statusCode).toBe(200)
  })

  it('a resident answers with a clip: it lands on the case as evidence; only staff see who answered', async () => {
    const clip = fakeMp4(50_000)
    const form = multipart({ clientKey: newKey(), body: 'Camera nhà tôi quay được lúc 21:40' }, [
      { data: clip, filename: 'cam.mp4' },
    ])
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/help-requests/${ctx.helpId}/responses`,
      payload: form.payload,
      headers: { ...ctx.helper.headers, ...form.headers },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().responses).toHaveLength(1)
    expect(res.json().responses[0].responder).toBeNull()

    const other = await t.app.inject({
      method: 'GET',
      url: `/api/help-requests/${ctx.helpId}`,
      headers: ctx.bystander.headers,
    })
    expect(other.json().responses).toEqual([])

    const view = (
      await t.app.inject({ method: 'GET', url: `/api/cases/${ctx.caseId}`, headers: ctx.commander.headers })
    ).json()
    const response = view.helpRequests[0].responses[0]
    expect(response.responder.id).toBe(ctx.helperId)
    const evidence = view.evidence.find((e: { kind: string }) => e.kind === 'video')
    expect(evidence).toMatchObject({
      sha256: createHash('sha256').update(clip).digest('hex'),
      addedBy: { role: 'helper' },
    })
    expect(view.timeline.at(-1).type).toBe('help_response_received')
  })

  it('evidence is never altered in place; a redaction is a new file pointing to the original', async () => {
    await expect(
      t.db.update(evidenceFiles).set({ sha256: 'x' }).where(eq(evidenceFiles.id, ctx.photoId)),
    ).rejects.toThrow()
    await expect(t.db.delete(evidenceFiles).where(eq(evidenceFiles.id, ctx.photoId))).rejects.toThrow()
    const form = multipart({ note: 'Che biển số nhà dân', redactsId: ctx.photoId }, [
      { data: await jpegWithExif(), filename: 'redacted.jpg', contentType: 'image/jpeg' },
    ])
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${ctx.caseId}/evidence`,
      payload: form.payload,
      headers: { ...ctx.officer.headers, ...form.headers },
    })
    expect(res.statusCode, res.body).toBe(201)
    const redacted = res
      .json()
      .evidence.find((e: { redactsId: string | null }) => e.redactsId === ctx.photoId)
    expect(redacted).toMatchObject({ note: 'Che biển số nhà dân', addedBy: { role: 'staff' } })
    expect(res.json().evidence.some((e: { id: string }) => e.id === ctx.photoId)).toBe(true)
  })

  it('exports a ZIP whose manifest hashes match the stored files and the bytes in the archive', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${ctx.caseId}/export`,
      headers: ctx.officer.headers,
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/zip')
    const entries = await unzip(res.rawPayload)
    const manifest = JSON.parse(entries.get('manifest.json')!.toString())
    const stored = await t.db.select().from(evidenceFiles)
    expect(manifest.files).toHaveLength(4)
    for (const f of manifest.files) {
      const bytes = entries.get(f.path)!
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256)
      expect(stored.find((s) => s.id === f.fileId)?.sha256).toBe(f.sha256)
      const original: Buffer[] = []
      for await (const c of await t.storage.get(stored.find((s) => s.id === f.fileId)!.storageKey))
        original.push(c as Buffer)
      expect(Buffer.concat(original).equals(bytes)).toBe(true)
    }
    expect(entries.get('SHA256SUMS')!.toString()).toContain(
      `${manifest.files[0].sha256}  ${manifest.files[0].path}`,
    )
    expect(JSON.parse(entries.get('verification.json')!.toString()).allMatch).toBe(true)
    expect(JSON.parse(entries.get('case.json')!.toString()).timeline.length).toBeGreaterThan(3)
  })

  it('resolves only with an outcome; then the groups get the thank-you and the helper sees it', async () => {
    const noOutcome = await t.app.inject({
      method: 'PATCH',
      url: `/api/cases/${ctx.caseId}`,
      payload: { status: 'resolved' },
      headers: ctx.officer.headers,
    })
    expect(noOutcome.statusCode).toBe(400)
    expect(noOutcome.json().errors[0].field).toBe('outcome')
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/cases/${ctx.caseId}`,
      payload: {
        status: 'resolved',
        outcome: 'solved_property_returned',
        closingMessage: 'Cảm ơn bà con — chiếc xe máy đã được trả lại cho chủ.',
      },
      headers: ctx.officer.headers,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ status: 'resolved', outcome: 'solved_property_returned' })
    expect(res.json().tips.every((x: { status: string }) => x.status === 'closed')).toBe(true)
    const thanks = await t.db
      .select()
      .from(messages)
      .where(sql`${messages.body} like '%chiếc xe máy đã được trả lại%'`)
    expect(thanks).toHaveLength(2)
    const helper = await t.app.inject({
      method: 'GET',
      url: '/api/help-requests',
      headers: ctx.helper.headers,
    })
    expect(helper.json()[0]).toMatchObject({
      status: 'closed',
      closingMessage: 'Cảm ơn bà con — chiếc xe máy đã được trả lại cho chủ.',
    })
    const answer = await t.app.inject({
      method: 'POST',
      url: `/api/help-requests/${ctx.helpId}/responses`,
      payload: { clientKey: newKey(), body: 'Muộn rồi' },
      headers: ctx.helper.headers,
    })
    expect(answer.statusCode).toBe(403)
  })
})
