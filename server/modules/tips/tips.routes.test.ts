import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceFiles, tips } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { fakeMp4, jpegWithExif, multipart, newKey } from './tips.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const readAll = async (key: string) => {
  const chunks: Buffer[] = []
  for await (const c of await t.storage.get(key)) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const { user: officer } = await buildOfficer(t.db, { unit: ward, areas: [area] })
  const resident = await buildResident(t.db, { area })
  return { ward, area, officer, resident }
}

describe('a resident sends a tip', () => {
  it('with a photo: stored without EXIF, hashed, thumbnailed, routed to the area officer', async () => {
    const w = await world()
    const session = await signInAs(t.app, w.resident)
    const form = multipart(
      {
        category: 'suspicious_vehicle',
        description: 'Xe máy biển 29 để ở ngõ 12 từ tối qua',
        lat: 21.0123,
        lng: 105.8456,
        seenAt: '2026-11-28T21:30:00+07:00',
      },
      [{ data: await jpegWithExif(), filename: 'IMG_0001.jpg', contentType: 'image/jpeg' }],
    )
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: form.payload,
      headers: { ...session.headers, ...form.headers, 'idempotency-key': newKey() },
    })
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body.created).toBe(true)
    expect(body.tipCode).toBeUndefined()
    expect(body.tip).toMatchObject({
      category: 'suspicious_vehicle',
      status: 'new',
      isAnonymous: false,
      area: { id: w.area.id },
    })
    expect(body.tip.files).toHaveLength(1)

    const [row] = await t.db.select().from(tips).where(eq(tips.id, body.tip.id))
    expect(row?.assigneeId).toBe(w.officer.id)
    expect(row?.submitterId).toBe(w.resident.id)
    const [file] = await t.db.select().from(evidenceFiles).where(eq(evidenceFiles.tipId, body.tip.id))
    const stored = await readAll(file!.storageKey)
    expect(createHash('sha256').update(stored).digest('hex')).toBe(file!.sha256)
    const meta = await sharp(stored).metadata()
    expect(meta.format).toBe('jpeg')
    expect(meta.exif).toBeUndefined()
    expect(stored.includes(Buffer.from('SpyPhone'))).toBe(false)
    expect(file!.thumbKey).toBeTruthy()

    const officerSession = await signInAs(t.app, w.officer)
    const photo = await t.app.inject({
      method: 'GET',
      url: body.tip.files[0].url,
      headers: officerSession.headers,
    })
    expect(photo.statusCode).toBe(200)
    expect(photo.headers['content-type']).toBe('image/jpeg')
    expect(photo.rawPayload.equals(stored)).toBe(true)
  })

  it('sent twice with one idempotency key makes one tip', async () => {
    const w = await world()
    const session = await signInAs(t.app, w.resident)
    const key = newKey()
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/tips',
        payload: { category: 'theft', description: 'Mất trộm xe đạp trước cổng nhà' },
        headers: { ...session.headers, 'idempotency-key': key },
      })
    const [a, b] = await Promise.all([send(), send()])
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201])
    expect(a.json().tip.id).toBe(b.json().tip.id)
    const rows = await t.db.select().from(tips).where(eq(tips.submitterId, w.resident.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]?.areaId).toBe(w.area.id)
  })

  it('with a clip: an MP4 is stored as video by its content; a text file named .jpg is refused and nothing is kept', async () => {
    const w = await world()
    const session = await signInAs(t.app, w.resident)
    const clip = fakeMp4(300_000)
    const ok = multipart({ category: 'disorder_fight', description: 'Đánh nhau trước quán karaoke' }, [
      { data: clip, filename: 'clip.bin' },
    ])
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: ok.payload,
      headers: { ...session.headers, ...ok.headers, 'idempotency-key': newKey() },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().tip.files[0]).toMatchObject({ kind: 'video', mime: 'video/mp4', size: clip.length })
    expect(res.json().tip.files[0].sha256).toBe(createHash('sha256').update(clip).digest('hex'))

    const bad = multipart({ category: 'other', description: 'Tệp giả mạo ảnh' }, [
      {
        data: Buffer.from('just some text, not a photo at all'),
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
      },
    ])
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: bad.payload,
      headers: { ...session.headers, ...bad.headers, 'idempotency-key': newKey() },
    })
    expect(refused.statusCode).toBe(415)
    expect(refused.json().errors[0]).toMatchObject({ field: 'files' })
    expect(await t.db.select().from(tips).where(eq(tips.description, 'Tệp giả mạo ảnh'))).toHaveLength(0)
  })

  it('without an account, with a phone number and its one-time code; the sender is then signed in', async () => {
    const area = await buildArea(t.db)
    const phone = '0912 345 678'
    const sent = await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } })
    expect(sent.statusCode).toBe(202)
    const otp = await t.app.inject({ method: 'GET', url: '/api/dev/last-otp', query: { phone } })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: {
        category: 'fire_hazard',
        description: 'Dây điện chập chờn ở đầu ngõ',
        areaId: area.id,
        phone,
        otpCode: otp.json().code,
      },
      headers: { 'idempotency-key': newKey() },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.cookies.some((c) => c.name === 'nhipcau_session')).toBe(true)
    const [row] = await t.db.select().from(tips).where(eq(tips.id, res.json().tip.id))
    expect(row?.submitterId).toBeTruthy()
    expect(row?.assigneeId).toBeNull() // nobody covers this area: the ward's duty queue

    const noCode = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: { category: 'fire_hazard', description: 'Không có mã xác nhận', areaId: area.id },
      headers: { 'idempotency-key': newKey() },
    })
    expect(noCode.statusCode).toBe(400)
    expect(noCode.json().errors[0].field).toBe('phone')
  })

  it('is routed by the pin: the area whose outline contains it, whatever area was chosen', async () => {
    const ward = await buildWard(t.db)
    const square = (lng: number, lat: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [lng, lat],
          [lng + 0.01, lat],
          [lng + 0.01, lat + 0.01],
          [lng, lat + 0.01],
          [lng, lat],
        ],
      ],
    })
    const west = await buildArea(t.db, { parent: ward, geometry: square(105.0, 20.0) })
    const east = await buildArea(t.db, { parent: ward, geometry: square(105.02, 20.0) })
    const { user: eastOfficer } = await buildOfficer(t.db, { unit: ward, areas: [east] })
    const resident = await buildResident(t.db, { area: west })
    const session = await signInAs(t.app, resident)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: {
        category: 'drugs',
        description: 'Tụ tập sử dụng ma túy ở bãi đất trống',
        lat: 20.005,
        lng: 105.025,
        areaId: west.id,
      },
      headers: { ...session.headers, 'idempotency-key': newKey() },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().tip.area.id).toBe(east.id)
    const [row] = await t.db.select().from(tips).where(eq(tips.id, res.json().tip.id))
    expect(row?.assigneeId).toBe(eastOfficer.id)
  })

  it('field errors name the field and change nothing', async () => {
    const w = await world()
    const session = await signInAs(t.app, w.resident)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: { category: 'ufo', description: 'x', lat: 21 },
      headers: { ...session.headers, 'idempotency-key': newKey(), 'accept-language': 'en' },
    })
    expect(res.statusCode).toBe(400)
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort()
    expect(fields).toEqual(['category', 'description'])
    const half = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: { category: 'other', description: 'Chỉ có vĩ độ', lat: 21 },
      headers: { ...session.headers, 'idempotency-key': newKey() },
    })
    expect(half.statusCode).toBe(400)
    expect(half.json().errors[0].field).toBe('lng')
    expect(await t.db.select().from(tips).where(eq(tips.submitterId, w.resident.id))).toHaveLength(0)
    const missingKey = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: {},
      headers: session.headers,
    })
    expect(missingKey.statusCode).toBe(400)
  })
})
