import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildArea, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { type Caller, callerFor, key, uploadAttachment } from './messaging.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const upload = (caller: Caller, conversationId: string, filename: string, data: Buffer) =>
  uploadAttachment(t, caller, conversationId, data, { filename })

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = await callerFor(t, (await buildOfficer(t.db, { areas: [area], unit: ward })).user)
  const resident = await callerFor(t, await buildResident(t.db, { area }))
  const stranger = await callerFor(t, await buildResident(t.db, { area }))
  const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Ảnh xe máy' })
  return { officer, resident, stranger, conversationId: body.conversationId as string }
}

describe('photos and files in a conversation', () => {
  it('re-encodes a photo without its EXIF (no GPS), at most 1600 px, with a 320 px thumbnail', async () => {
    const w = await world()
    const photo = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#3366aa' } })
      .withExif({ IFD0: { Make: 'DienThoai', Copyright: 'GPS 21.0278 105.8342' } })
      .jpeg()
      .toBuffer()
    expect((await sharp(photo).metadata()).exif).toBeDefined()

    const up = await upload(w.resident, w.conversationId, 'IMG_0001.JPG', photo)
    expect(up.status).toBe(201)
    expect(up.body).toMatchObject({ kind: 'photo', mime: 'image/jpeg' })

    const display = await t.app.inject({ url: up.body.url, headers: w.officer.session.headers })
    expect(display.statusCode).toBe(200)
    const meta = await sharp(display.rawPayload).metadata()
    expect(meta.exif).toBeUndefined()
    expect(Math.max(meta.width!, meta.height!)).toBe(1600)
    const thumb = await t.app.inject({ url: up.body.thumbUrl, headers: w.resident.session.headers })
    expect(
      Math.max(
        ...(await sharp(thumb.rawPayload)
          .metadata()
          .then((m) => [m.width!, m.height!])),
      ),
    ).toBe(320)

    const sent = await w.resident.post(`/api/conversations/${w.conversationId}/messages`, {
      clientKey: key(),
      body: '',
      attachmentIds: [up.body.fileId],
    })
    expect(sent.status).toBe(201)
    expect(sent.body.message).toMatchObject({
      kind: 'photo',
      attachments: [{ fileId: up.body.fileId, width: 1600 }],
    })

    await w.resident.del(`/api/messages/${sent.body.message.id}`)
    const afterDelete = await t.app.inject({ url: up.body.url, headers: w.resident.session.headers })
    expect(afterDelete.statusCode).toBe(404)
    const forOfficer = await t.app.inject({ url: up.body.url, headers: w.officer.session.headers })
    expect(forOfficer.statusCode).toBe(200)

    const other = await t.app.inject({ url: up.body.url, headers: w.stranger.session.headers })
    expect(other.statusCode).toBe(404)
    const anonymous = await t.app.inject({ url: up.body.url })
    expect(anonymous.statusCode).toBe(401)
  })

  it('judges by content: a text file named .jpg is refused, a PDF is kept as a file', async () => {
    const w = await world()
    const fake = await upload(
      w.resident,
      w.conversationId,
      'anh.jpg',
      Buffer.from('<script>alert(1)</script>'),
    )
    expect(fake.status).toBe(415)
    expect(fake.body.errors[0].field).toBe('file')
    const pdf = await upload(
      w.officer,
      w.conversationId,
      'huong-dan.pdf',
      Buffer.from('%PDF-1.4\n% test\n%%EOF\n'),
    )
    expect(pdf.status).toBe(201)
    expect(pdf.body).toMatchObject({
      kind: 'file',
      mime: 'application/pdf',
      name: 'huong-dan.pdf',
      thumbUrl: null,
    })
  })

  it('refuses a HEIC photo the image library cannot decode with advice on what to do', async () => {
    const w = await world()
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(200, 7)])
    const res = await upload(w.resident, w.conversationId, 'IMG_0002.HEIC', heic)
    expect(res.status).toBe(415)
    expect(res.body.detail).toContain('HEIC')
  })

  it('does not let one attach another person’s upload', async () => {
    const w = await world()
    const png = await sharp({ create: { width: 10, height: 10, channels: 4, background: '#ff000080' } })
      .png()
      .toBuffer()
    const up = await upload(w.officer, w.conversationId, 'a.png', png)
    const res = await w.resident.post(`/api/conversations/${w.conversationId}/messages`, {
      clientKey: key(),
      attachmentIds: [up.body.fileId],
    })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].field).toBe('attachmentIds')
  })
})
