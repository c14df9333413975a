import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { queryRows } from '../../db/query'
import { buildArea, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { FakeZaloApi } from '../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../test/test-app'
import {
  deliverZalo,
  drainJobs,
  routedZaloFollower,
  zaloEvent,
  zaloWorld,
} from './channels/zalo-webhook.test-support'
import { callerFor, key, uploadAttachment } from './messaging.test-support'

// A resident may hold 1 MB of conversation files; a unit 3 MB of files of every kind.
let t: TestContext
const zalo = new FakeZaloApi()
beforeAll(async () => {
  const url = await zalo.start()
  t = await createTestApp({
    MESSAGE_FILES_MB_PER_RESIDENT: '1',
    UNIT_STORAGE_QUOTA_MB: '3',
    ZALO_OPENAPI_URL: url,
    ZALO_OAUTH_URL: url,
  })
})
afterAll(async () => {
  await t.close()
  await zalo.stop()
})

/** A PDF of about `kb` kilobytes (kept as it is, so its size is what counts). */
const pdf = (kb: number) =>
  Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(kb * 1024, 0x20), Buffer.from('\n%%EOF\n')])

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = await callerFor(t, (await buildOfficer(t.db, { areas: [area], unit: ward })).user)
  const residentUser = await buildResident(t.db, { area })
  const resident = await callerFor(t, residentUser)
  const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Gửi giấy tờ' })
  return { officer, resident, residentUser, conversationId: body.conversationId as string }
}

const filesOf = async (userId: string) =>
  (
    await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from message_files where uploader_id = ${userId}`,
    )
  )[0]!.n

/** Every key the storage was asked to write during `f`, to check none of them is left behind. */
async function keysWritten<T>(f: () => Promise<T>): Promise<{ result: T; keys: string[] }> {
  const put = vi.spyOn(t.storage, 'put')
  try {
    const result = await f()
    const keys = (await Promise.all(put.mock.results.map((r) => r.value))).map((s: { key: string }) => s.key)
    return { result, keys }
  } finally {
    put.mockRestore()
  }
}

describe('conversation files against the storage quotas', () => {
  it('a resident past her share is refused in her language (413), and nothing of the file is kept', async () => {
    const w = await world()
    const first = await uploadAttachment(t, w.resident, w.conversationId, pdf(600), {
      filename: 'giay-to.pdf',
    })
    expect(first.status).toBe(201)

    const { result: refused, keys } = await keysWritten(() =>
      uploadAttachment(t, w.resident, w.conversationId, pdf(600), { filename: 'giay-to-2.pdf' }),
    )
    expect(refused.status).toBe(413)
    expect(refused.contentType).toContain('application/problem+json')
    expect(refused.body.detail).toBe(
      'Anh/chị đã gửi đủ 1 MB ảnh, tệp và tin nhắn thoại, mức tối đa cho mỗi người. Tệp này chưa được gửi; hãy viết nội dung bằng chữ. Trường hợp khẩn cấp hãy gọi 113.',
    )
    expect(refused.body.errors[0]).toMatchObject({ field: 'file', code: 'quota' })
    expect(await filesOf(w.residentUser.id)).toBe(1)
    for (const k of keys) expect(await t.storage.stat(k), k).toBeUndefined()

    const english = await uploadAttachment(t, w.resident, w.conversationId, pdf(600), {
      headers: { 'accept-language': 'en' },
    })
    expect(english.status).toBe(413)
    expect(english.body.detail).toContain('You have sent 1 MB of photos, files and voice messages')

    // A smaller file still fits; the officer answering in the same conversation is not held to her share.
    expect((await uploadAttachment(t, w.resident, w.conversationId, pdf(300))).status).toBe(201)
    expect((await uploadAttachment(t, w.officer, w.conversationId, pdf(900))).status).toBe(201)
  })

  it('conversation files count against the unit’s quota: past it they are refused (507) like tip files', async () => {
    const w = await world()
    // 3 MB for the ward: the officer's files fill it, then even a small one of the resident's is refused
    for (let i = 0; i < 3; i++)
      expect((await uploadAttachment(t, w.officer, w.conversationId, pdf(900))).status).toBe(201)
    const { result: refused, keys } = await keysWritten(() =>
      uploadAttachment(t, w.resident, w.conversationId, pdf(400)),
    )
    expect(refused.status).toBe(507)
    expect(refused.body.detail).toContain('Bộ nhớ của đơn vị công an phụ trách khu vực này đã đầy')
    expect(await filesOf(w.residentUser.id)).toBe(0)
    for (const k of keys) expect(await t.storage.stat(k), k).toBeUndefined()
  })

  it('photos residents send on Zalo count against the unit’s quota too: past it the photo stays 📷 and nothing is kept', async () => {
    const w = await zaloWorld(t, zalo)
    const userId = await routedZaloFollower(t, w)
    const officer = await callerFor(t, w.officer)
    // A photo with detail (noise), so its re-encoded copy weighs some hundred kilobytes.
    const noisyPhoto = () =>
      sharp(randomBytes(640 * 480 * 3), { raw: { width: 640, height: 480, channels: 3 } })
        .jpeg({ quality: 90 })
        .toBuffer()
    const sendPhoto = async (name: string) => {
      zalo.cdn.set(name, { type: 'image/jpeg', body: await noisyPhoto() })
      const res = await deliverZalo(
        t,
        w,
        zaloEvent(w, userId, 'user_send_image', {
          text: '',
          attachments: [{ type: 'image', payload: { url: `${zalo.baseUrl}/cdn/${name}` } }],
        }),
      )
      expect(res.statusCode).toBe(200)
      await drainJobs(t)
      const [conversation] = (await officer.get('/api/inbox')).body.conversations.filter(
        (c: { channel: string }) => c.channel === 'zalo',
      )
      const { messages } = (await officer.get(`/api/conversations/${conversation.id}/messages`)).body
      return messages.at(-1) as { kind: string; body: string; attachments: { size: number }[] }
    }

    const first = await sendPhoto('mot.jpg')
    expect(first.kind).toBe('photo')
    const photoKb = Math.ceil(first.attachments[0]!.size / 1024)
    expect(photoKb).toBeGreaterThan(60)
    expect(photoKb).toBeLessThan(400) // well inside the contact's own 1 MB share

    // The photo counts for the ward: a file that would fit beside the officer's nothing else is
    // refused now, one as much smaller fits, and leaves less room than another photo needs.
    const resident = await callerFor(t, await buildResident(t.db, { area: w.area }))
    const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Gửi giấy tờ' })
    const tooBig = await uploadAttachment(t, officer, body.conversationId, pdf(3 * 1024 - photoKb + 10))
    expect(tooBig.status).toBe(507)
    const fits = await uploadAttachment(t, officer, body.conversationId, pdf(3 * 1024 - photoKb - 60))
    expect(fits.status).toBe(201)

    const { result: second, keys } = await keysWritten(() => sendPhoto('hai.jpg'))
    expect([second.kind, second.body, second.attachments]).toEqual(['text', '📷', []])
    // Refused before a byte was written.
    expect(keys).toEqual([])
    const contactFiles = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from message_files f join conversations c on c.id = f.conversation_id
           where c.channel = 'zalo' and c.area_id = ${w.area.id}`,
    )
    expect(contactFiles[0]!.n).toBe(1)
  })
})
