import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { callerFor } from '../messaging.test-support'
import { deliverZalo, drainJobs, routedZaloFollower, zaloEvent, zaloWorld } from './zalo-webhook.test-support'

let t: TestContext
const zalo = new FakeZaloApi()
beforeAll(async () => {
  const url = await zalo.start()
  t = await createTestApp({ ZALO_OPENAPI_URL: url, ZALO_OAUTH_URL: url })
})
afterAll(async () => {
  await t.close()
  await zalo.stop()
})

const imageEvent = (w: Awaited<ReturnType<typeof zaloWorld>>, userId: string, name: string, text = '') =>
  zaloEvent(w, userId, 'user_send_image', {
    text,
    attachments: [{ type: 'image', payload: { url: `${zalo.baseUrl}/cdn/${name}` } }],
  })

describe('photos residents send on Zalo', () => {
  it('are copied into our storage without their metadata, and the message keeps no link to the platform', async () => {
    const w = await zaloWorld(t, zalo)
    const userId = await routedZaloFollower(t, w)
    const photo = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#3a7' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'DienThoai', Copyright: 'GPS 21.0278 105.8342' } })
      .toBuffer()
    expect((await sharp(photo).metadata()).exif).toBeDefined()
    zalo.cdn.set('xe-may.jpg', { type: 'image/jpeg', body: photo })
    await deliverZalo(t, w, imageEvent(w, userId, 'xe-may.jpg', 'Xe bị lấy trước cửa nhà em'))
    await drainJobs(t)

    const officer = await callerFor(t, w.officer)
    const [conversation] = (await officer.get('/api/inbox')).body.conversations
    const [message] = (await officer.get(`/api/conversations/${conversation.id}/messages`)).body.messages
    expect(message.kind).toBe('photo')
    expect(message.body).toBe('Xe bị lấy trước cửa nhà em')
    expect(message.attachments).toHaveLength(1)
    expect(message.attachments[0]).toMatchObject({
      kind: 'photo',
      mime: 'image/jpeg',
      width: 1600,
      height: 800,
    })
    expect(JSON.stringify(message)).not.toContain('/cdn/')
    const file = await t.app.inject({
      url: `/api/files/${message.attachments[0].fileId}`,
      headers: officer.session.headers,
    })
    expect(file.statusCode).toBe(200)
    expect((await sharp(file.rawPayload).metadata()).exif).toBeUndefined()
    // Copied once: a second run of the job finds nothing left to fetch.
    expect(zalo.cdnHits.filter((p) => p === '/cdn/xe-may.jpg')).toHaveLength(1)
  })

  it('refuses what is not a photo by its bytes: the officer sees 📷, with no file and no link', async () => {
    const w = await zaloWorld(t, zalo)
    const userId = await routedZaloFollower(t, w)
    zalo.cdn.set('not-a-photo.jpg', { type: 'image/jpeg', body: Buffer.from('<html>hello</html>') })
    await deliverZalo(t, w, imageEvent(w, userId, 'not-a-photo.jpg'))
    await drainJobs(t)
    const officer = await callerFor(t, w.officer)
    const [conversation] = (await officer.get('/api/inbox')).body.conversations
    const [message] = (await officer.get(`/api/conversations/${conversation.id}/messages`)).body.messages
    expect([message.kind, message.body, message.attachments]).toEqual(['text', '📷', []])
    expect(JSON.stringify(message)).not.toContain('/cdn/')
  })
})
