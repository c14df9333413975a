import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildArea, buildMessengerAccount, buildOfficer, buildWard } from '../../../test/factories/index'
import { FakeGraphApi, graphErrors } from '../../../test/fakes/fake-graph-api'
import { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { type Caller, callerFor, key, uploadAttachment } from '../messaging.test-support'
import { messengerSignature } from './messenger.adapter'
import { deliverZalo, drainJobs, routedZaloFollower, zaloEvent, zaloWorld } from './zalo-webhook.test-support'

let t: TestContext
const graph = new FakeGraphApi()
const zalo = new FakeZaloApi()
beforeAll(async () => {
  const graphUrl = await graph.start()
  const zaloUrl = await zalo.start()
  t = await createTestApp({
    MESSENGER_GRAPH_URL: graphUrl,
    MESSENGER_GRAPH_VERSION: 'v23.0',
    ZALO_OPENAPI_URL: zaloUrl,
    ZALO_OAUTH_URL: zaloUrl,
  })
})
afterAll(async () => {
  await t.close()
  await graph.stop()
  await zalo.stop()
})

/** A conversation with a contact who just wrote (window open), as its area officer sees it. */
interface Thread {
  officer: Caller
  conversationId: string
  recipient: string
  token: string
}

let mids = 0
async function messengerThread(): Promise<Thread> {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố 7' })
  const officerUser = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const { account, secrets } = await buildMessengerAccount(t.db, t.config.CHANNEL_SECRET_KEY, { unit: ward })
  graph.validTokens.add(secrets.accessToken)
  const psid = `71000000${Date.now()}${++mids}`
  for (const item of [
    { referral: { ref: area.slug, source: 'SHORTLINK', type: 'OPEN_THREAD' } },
    { message: { mid: `m_reply_img_${++mids}`, text: 'Anh ơi, xe em bị lấy mất gương' } },
  ]) {
    const body = Buffer.from(
      JSON.stringify({
        object: 'page',
        entry: [
          {
            id: account.externalId,
            time: Date.now(),
            messaging: [{ sender: { id: psid }, timestamp: Date.now(), ...item }],
          },
        ],
      }),
    )
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/channels/messenger/${account.id}/webhook`,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': messengerSignature(secrets.appSecret, body),
      },
      payload: body,
    })
    expect(res.statusCode).toBe(200)
  }
  await drainJobs(t)
  const officer = await callerFor(t, officerUser)
  const [conversation] = (await officer.get('/api/inbox')).body.conversations
  return { officer, conversationId: conversation.id, recipient: psid, token: secrets.accessToken }
}

async function zaloThread(): Promise<Thread> {
  const w = await zaloWorld(t, zalo)
  const userId = await routedZaloFollower(t, w)
  expect(
    (await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text: 'Cho em hỏi' }))).statusCode,
  ).toBe(200)
  await drainJobs(t)
  const officer = await callerFor(t, w.officer)
  const [conversation] = (await officer.get('/api/inbox')).body.conversations
  return { officer, conversationId: conversation.id, recipient: userId, token: w.secrets.accessToken }
}

/** What each platform's fake received, in one shape: uploads (bytes) and sends (text or attachment id). */
const platforms = [
  {
    name: 'Messenger',
    thread: messengerThread,
    reset: () => {
      graph.sends.length = 0
      graph.uploads.length = 0
    },
    uploads: () => graph.uploads.map((u) => ({ id: u.attachmentId, token: u.accessToken, data: u.data })),
    sends: () =>
      graph.sends.map((s) => ({
        to: s.body.recipient?.id,
        token: s.accessToken,
        text: s.body.message?.text ?? null,
        attachmentId: s.body.message?.attachment?.payload?.attachment_id ?? null,
      })),
    failUploadTemporarily: () => graph.failNextUpload(graphErrors.serverError),
    refuseUpload: () => graph.failNextUpload(graphErrors.permissionDenied),
  },
  {
    name: 'Zalo',
    thread: zaloThread,
    reset: () => {
      zalo.sends.length = 0
      zalo.uploads.length = 0
    },
    uploads: () => zalo.uploads.map((u) => ({ id: u.attachmentId, token: u.accessToken, data: u.data })),
    sends: () =>
      zalo.sends.map((s) => ({
        to: s.body.recipient?.user_id,
        token: s.accessToken,
        text: s.body.message?.text ?? null,
        attachmentId: s.body.message?.attachment?.payload?.elements?.[0]?.attachment_id ?? null,
      })),
    failUploadTemporarily: () => zalo.failNextUpload(-32, 'Request exceeds limit'),
    refuseUpload: () => zalo.failNextUpload(-201, 'Parameters are invalid'),
  },
]

/** A phone photo that says where it was taken (GPS) and on which phone. */
const phonePhoto = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: '#2266aa' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'DienThoaiCanBo', Model: 'Z9' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '21/1 1/1 40/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '105/1 50/1 3/1',
      },
    })
    .toBuffer()

/** The officer attaches a photo through the upload path and sends it with a text; the stored bytes. */
async function replyWithPhoto(th: Thread, body: string) {
  const up = await uploadAttachment(t, th.officer, th.conversationId, await phonePhoto(), {
    filename: 'IMG_2041.JPG',
    type: 'image/jpeg',
  })
  expect(up.status).toBe(201)
  const { fileId, url } = up.body as { fileId: string; url: string }
  const sent = await th.officer.post(`/api/conversations/${th.conversationId}/messages`, {
    clientKey: key(),
    body,
    attachmentIds: [fileId],
  })
  expect(sent.status, JSON.stringify(sent.body)).toBe(201)
  expect(sent.body.message.delivery).toMatchObject({ status: 'pending' })
  const file = await t.app.inject({ url, headers: th.officer.session.headers })
  expect(file.statusCode).toBe(200)
  return { messageId: sent.body.message.id as string, stored: file.rawPayload }
}

async function deliveryOf(th: Thread, messageId: string) {
  const messages = (await th.officer.get(`/api/conversations/${th.conversationId}/messages`)).body.messages
  return messages.find((m: { id: string }) => m.id === messageId).delivery
}

describe.each(platforms)('the officer’s photo in a reply on $name', (p) => {
  it('reaches the person: our stored bytes (no EXIF, no GPS) uploaded, then a send of that attachment', async () => {
    const th = await p.thread()
    p.reset()
    const { messageId, stored } = await replyWithPhoto(th, 'Ảnh vị trí trụ sở công an phường')
    await drainJobs(t)

    expect((await sharp(stored).metadata()).exif).toBeUndefined()
    expect(stored.includes('DienThoaiCanBo')).toBe(false)
    const uploads = p.uploads()
    expect(uploads).toHaveLength(1)
    expect(uploads[0]!.token).toBe(th.token)
    expect(uploads[0]!.data.equals(stored)).toBe(true)
    expect(p.sends()).toEqual([
      { to: th.recipient, token: th.token, text: 'Ảnh vị trí trụ sở công an phường', attachmentId: null },
      { to: th.recipient, token: th.token, text: null, attachmentId: uploads[0]!.id },
    ])
    expect(await deliveryOf(th, messageId)).toEqual({
      channel: p.name.toLowerCase(),
      status: 'sent',
      errorKey: null,
      attempts: 1,
    })
  })

  it('retries a temporary upload failure without sending the text twice', async () => {
    const th = await p.thread()
    p.reset()
    p.failUploadTemporarily()
    const { messageId } = await replyWithPhoto(th, 'Gửi anh ảnh mẫu tờ khai')
    await drainJobs(t)
    expect(p.sends().map((s) => (s.text ? 'text' : 'photo'))).toEqual(['text', 'photo'])
    expect(await deliveryOf(th, messageId)).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('shows a refused upload as not sent, and "Thử lại" sends only the photo', async () => {
    const th = await p.thread()
    p.reset()
    p.refuseUpload()
    const { messageId } = await replyWithPhoto(th, 'Ảnh biên bản')
    await drainJobs(t)
    expect(p.sends().map((s) => s.text)).toEqual(['Ảnh biên bản'])
    expect(p.uploads()).toHaveLength(0)
    expect(await deliveryOf(th, messageId)).toMatchObject({
      status: 'failed',
      errorKey: 'channels.error.refused',
    })

    const retry = await th.officer.post(`/api/messages/${messageId}/delivery/retry`, {})
    expect(retry.status).toBe(200)
    await drainJobs(t)
    expect(p.uploads()).toHaveLength(1)
    expect(p.sends().map((s) => s.text ?? s.attachmentId)).toEqual(['Ảnh biên bản', p.uploads()[0]!.id])
    expect(await deliveryOf(th, messageId)).toMatchObject({ status: 'sent', errorKey: null })
  })
})
