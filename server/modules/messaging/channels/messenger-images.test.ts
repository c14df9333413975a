import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildArea, buildMessengerAccount, buildOfficer, buildWard } from '../../../test/factories/index'
import { FakeGraphApi } from '../../../test/fakes/fake-graph-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { messageRepository } from '../message.repository'
import { callerFor } from '../messaging.test-support'
import { messengerSignature } from './messenger.adapter'

let t: TestContext
const graph = new FakeGraphApi()
beforeAll(async () => {
  const url = await graph.start()
  t = await createTestApp({ MESSENGER_GRAPH_URL: url, MESSENGER_GRAPH_VERSION: 'v23.0' })
})
afterAll(async () => {
  await t.close()
  await graph.stop()
})

/** A ward whose Page is connected, one area and its officer; a person who came from the area's m.me link. */
async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố 2' })
  const officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const { account, secrets } = await buildMessengerAccount(t.db, t.config.CHANNEL_SECRET_KEY, { unit: ward })
  graph.validTokens.add(secrets.accessToken)
  const psid = `70000000${Date.now()}`
  const w = { ward, area, officer, account, secrets, psid }
  await deliver(w, { referral: { ref: area.slug, source: 'SHORTLINK', type: 'OPEN_THREAD' } })
  return w
}
type World = Awaited<ReturnType<typeof world>>

let mids = 0
/** One signed webhook call from the person, as Messenger sends it. */
async function deliver(
  w: { account: { id: string; externalId: string }; secrets: { appSecret: string }; psid: string },
  event: Record<string, unknown>,
) {
  const body = Buffer.from(
    JSON.stringify({
      object: 'page',
      entry: [
        {
          id: w.account.externalId,
          time: Date.now(),
          messaging: [
            {
              sender: { id: w.psid },
              recipient: { id: w.account.externalId },
              timestamp: Date.now(),
              ...event,
            },
          ],
        },
      ],
    }),
  )
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/channels/messenger/${w.account.id}/webhook`,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': messengerSignature(w.secrets.appSecret, body),
    },
    payload: body,
  })
  expect(res.statusCode, res.body).toBe(200)
}

/** A photo message: Messenger's attachment points to a file on Facebook's CDN (here, the fake's). */
const photoMessage = (w: World, name: string, text?: string) =>
  deliver(w, {
    message: {
      mid: `m_photo_${++mids}`,
      ...(text ? { text } : {}),
      attachments: [{ type: 'image', payload: { url: `${graph.baseUrl}/cdn/${name}?_nc_cat=1&oh=abc` } }],
    },
  })

async function drain() {
  while ((await t.jobs.drain()) > 0) {}
}

/** The tags of a JPEG's EXIF IFD0 (0x8825 is the pointer to the GPS block); [] when there is none. */
function exifTags(exif: Buffer | undefined): number[] {
  if (!exif) return []
  const tiff = exif.subarray(6) // after "Exif\0\0"
  const le = tiff.toString('latin1', 0, 2) === 'II'
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o))
  const ifd0 = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4)
  return Array.from({ length: u16(ifd0) }, (_, i) => u16(ifd0 + 2 + i * 12))
}
const GPS_IFD = 0x8825

async function onlyMessage(w: World) {
  const officer = await callerFor(t, w.officer)
  const [conversation] = (await officer.get('/api/inbox')).body.conversations
  const messages = (await officer.get(`/api/conversations/${conversation.id}/messages`)).body.messages
  return { officer, messages }
}

describe('photos residents send on Messenger', () => {
  it('are copied into our storage without EXIF or GPS, and no link to Facebook is left', async () => {
    const w = await world()
    // A phone photo with where it was taken: Hoàn Kiếm, 21°1′40″N 105°50′3″E.
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#bb3355' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'DienThoai', Model: 'X1' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '21/1 1/1 40/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '105/1 50/1 3/1',
        },
      })
      .toBuffer()
    expect(exifTags((await sharp(photo).metadata()).exif)).toContain(GPS_IFD)
    graph.cdn.set('bien-so.jpg', { type: 'image/jpeg', body: photo })

    await photoMessage(w, 'bien-so.jpg', 'Xe lạ đỗ trước ngõ 12 cả tuần nay')
    await drain()

    const { officer, messages } = await onlyMessage(w)
    expect(messages).toHaveLength(1)
    const [message] = messages
    expect(message).toMatchObject({ kind: 'photo', body: 'Xe lạ đỗ trước ngõ 12 cả tuần nay' })
    expect(message.attachments).toEqual([
      expect.objectContaining({ kind: 'photo', mime: 'image/jpeg', width: 1600, height: 1067 }),
    ])
    // Our copy: a real JPEG of the same picture, without the phone's metadata or the place.
    const file = await t.app.inject({
      url: `/api/files/${message.attachments[0].fileId}`,
      headers: officer.session.headers,
    })
    expect(file.statusCode).toBe(200)
    const copy = await sharp(file.rawPayload).metadata()
    expect([copy.format, copy.width, copy.height]).toEqual(['jpeg', 1600, 1067])
    expect(copy.exif).toBeUndefined()
    expect(file.rawPayload.includes('DienThoai')).toBe(false)
    const { data: pixel } = await sharp(file.rawPayload)
      .extract({ left: 800, top: 500, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true })
    // The same picture: #bb3355, give or take the JPEG re-encoding.
    for (const [channel, expected] of [0xbb, 0x33, 0x55].entries())
      expect(Math.abs(pixel[channel]! - expected)).toBeLessThan(8)

    // Nowhere a link to Facebook's CDN: not in what the officer gets, not in the stored row.
    expect(JSON.stringify(message)).not.toContain('/cdn/')
    const row = await messageRepository.get(t.db, message.id)
    expect(JSON.stringify(row)).not.toContain(graph.baseUrl)
    // Fetched once; the job run again has nothing left to fetch.
    await drain()
    expect(graph.cdnHits.filter((p) => p === '/cdn/bien-so.jpg')).toHaveLength(1)
  })

  it('refuses what is not a photo by its bytes, whatever Facebook calls it: 📷, no file, no link', async () => {
    const w = await world()
    graph.cdn.set('la-anh.jpg', { type: 'image/jpeg', body: Buffer.from('<html>đăng nhập Facebook</html>') })
    await photoMessage(w, 'la-anh.jpg')
    await drain()
    const { messages } = await onlyMessage(w)
    expect(
      messages.map((m: { kind: string; body: string; attachments: unknown[] }) => [
        m.kind,
        m.body,
        m.attachments,
      ]),
    ).toEqual([['text', '📷', []]])
    const row = await messageRepository.get(t.db, messages[0].id)
    expect(JSON.stringify(row)).not.toContain(graph.baseUrl)
  })
})
