import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readVoiceNote } from '../../storage/voice-note'
import { buildArea, buildGroup, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { oggVoice, VOICE_DEVICE, VOICE_GPS, webmVoice } from '../../test/voice-fixture'
import { type Caller, callerFor, key, uploadAttachment } from './messaging.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const upload = (
  caller: Caller,
  conversationId: string,
  data: Buffer,
  opts: { filename?: string; type?: string; headers?: Record<string, string> } = {},
) =>
  uploadAttachment(t, caller, conversationId, data, {
    ...opts,
    filename: opts.filename ?? 'ghi-am.webm',
    type: opts.type ?? 'audio/webm',
  })

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officerUser = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const residentUser = await buildResident(t.db, { area })
  const officer = await callerFor(t, officerUser)
  const resident = await callerFor(t, residentUser)
  const stranger = await callerFor(t, await buildResident(t.db, { area }))
  const { body } = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Chào anh' })
  return {
    area,
    officerUser,
    residentUser,
    officer,
    resident,
    stranger,
    conversationId: body.conversationId as string,
  }
}

describe('voice messages in a conversation', () => {
  it('a resident sends a recording; the officer plays it without its metadata and answers by voice', async () => {
    const w = await world()
    const up = await upload(w.resident, w.conversationId, webmVoice({ seconds: 7.5 }))
    expect(up.status).toBe(201)
    expect(up.body).toMatchObject({ kind: 'voice', mime: 'audio/webm', durationMs: 7500, thumbUrl: null })

    const sent = await w.resident.post(`/api/conversations/${w.conversationId}/messages`, {
      clientKey: key(),
      attachmentIds: [up.body.fileId],
    })
    expect(sent.status).toBe(201)
    expect(sent.body.message).toMatchObject({
      kind: 'voice',
      body: '',
      attachments: [{ fileId: up.body.fileId, kind: 'voice', durationMs: 7500, mime: 'audio/webm' }],
    })

    const played = await t.app.inject({ url: up.body.url, headers: w.officer.session.headers })
    expect(played.statusCode).toBe(200)
    expect(played.headers['content-type']).toBe('audio/webm')
    expect(played.headers['content-disposition']).toMatch(/^inline/)
    expect(played.rawPayload.includes(VOICE_GPS)).toBe(false)
    expect(played.rawPayload.includes(VOICE_DEVICE)).toBe(false)
    expect(readVoiceNote(played.rawPayload).durationMs).toBe(7500)

    const other = await t.app.inject({ url: up.body.url, headers: w.stranger.session.headers })
    expect(other.statusCode).toBe(404)

    const answer = await upload(w.officer, w.conversationId, oggVoice({ seconds: 20 }), {
      filename: 'tra-loi.ogg',
      type: 'audio/ogg',
    })
    expect(answer.status).toBe(201)
    expect(answer.body).toMatchObject({ kind: 'voice', mime: 'audio/ogg', durationMs: 20_000 })
    const reply = await w.officer.post(`/api/conversations/${w.conversationId}/messages`, {
      clientKey: key(),
      attachmentIds: [answer.body.fileId],
    })
    expect(reply.body.message).toMatchObject({ kind: 'voice', attachments: [{ durationMs: 20_000 }] })
    const heard = await t.app.inject({ url: answer.body.url, headers: w.resident.session.headers })
    expect(heard.rawPayload.includes(VOICE_GPS)).toBe(false)
    expect(readVoiceNote(heard.rawPayload).durationMs).toBe(20_000)
  })

  it('a retried upload and a retried send with the same keys make one file and one message', async () => {
    const w = await world()
    const recording = webmVoice({ seconds: 4 })
    const uploadKey = `voice-${key()}`
    const first = await upload(w.resident, w.conversationId, recording, {
      headers: { 'idempotency-key': uploadKey },
    })
    const again = await upload(w.resident, w.conversationId, recording, {
      headers: { 'idempotency-key': uploadKey },
    })
    expect(first.status).toBe(201)
    expect(again.body.fileId).toBe(first.body.fileId)

    const clientKey = key()
    const request = { clientKey, attachmentIds: [first.body.fileId] }
    const a = await w.resident.post(`/api/conversations/${w.conversationId}/messages`, request)
    const b = await w.resident.post(`/api/conversations/${w.conversationId}/messages`, request)
    expect([a.status, b.status]).toEqual([201, 200])
    expect(b.body.message.id).toBe(a.body.message.id)
    const page = await w.officer.get(`/api/conversations/${w.conversationId}/messages`)
    expect(page.body.messages.filter((m: { kind: string }) => m.kind === 'voice')).toHaveLength(1)
  })

  it('refuses recordings over two minutes, too large, or not Opus audio, saying why in Vietnamese or English', async () => {
    const w = await world()
    const long = await upload(w.resident, w.conversationId, webmVoice({ seconds: 150 }))
    expect(long.status).toBe(415)
    expect(long.body.errors[0]).toMatchObject({ field: 'file', code: 'too_long' })
    expect(long.body.detail).toBe(
      'Tin nhắn thoại dài tối đa 2 phút (đoạn này dài 150 giây). Anh/chị hãy nói ngắn hơn hoặc chia thành nhiều tin.',
    )
    const longEn = await upload(w.resident, w.conversationId, oggVoice({ seconds: 125 }), {
      headers: { 'accept-language': 'en' },
    })
    expect(longEn.body.detail).toContain('2 minutes at most (this one is 125 seconds)')

    const padded = Buffer.concat([webmVoice({ seconds: 3 }), Buffer.alloc(3 * 1024 * 1024)])
    const large = await upload(w.resident, w.conversationId, padded)
    expect(large.status).toBe(413)
    expect(large.body.detail).toBe(
      'Tệp ghi âm quá lớn: tối đa 3 MB. Anh/chị hãy ghi âm lại ngay trong ứng dụng.',
    )

    const video = await upload(
      w.resident,
      w.conversationId,
      webmVoice({ seconds: 3, trackType: 1, codec: 'V_VP8' }),
    )
    expect(video.status).toBe(415)
    expect(video.body.detail).toContain('Chỉ nhận ghi âm Opus (WebM hoặc Ogg)')

    const named = await upload(w.resident, w.conversationId, Buffer.from('không phải âm thanh'), {
      filename: 'ghi-am.webm',
    })
    expect(named.status).toBe(415)

    const whole = webmVoice({ seconds: 3 })
    // Cut inside its last block, as an upload that stopped half-way.
    const broken = await upload(w.resident, w.conversationId, whole.subarray(0, whole.length - 5))
    expect(broken.status).toBe(415)
    expect(broken.body.detail).toContain('Không đọc được đoạn ghi âm')

    // Nothing refused was kept: the conversation holds no voice file.
    const page = await w.officer.get(`/api/conversations/${w.conversationId}/messages`)
    expect(page.body.messages.some((m: { kind: string }) => m.kind === 'voice')).toBe(false)
  })

  it('members of a group send and play voice messages there', async () => {
    const w = await world()
    const neighbour = await buildResident(t.db, { area: w.area })
    const { conversation } = await buildGroup(t.db, {
      unit: w.area,
      owner: w.officerUser,
      members: [w.residentUser, neighbour],
    })
    const up = await upload(w.resident, conversation.id, oggVoice({ seconds: 9 }), { type: 'audio/ogg' })
    expect(up.status).toBe(201)
    const sent = await w.resident.post(`/api/conversations/${conversation.id}/messages`, {
      clientKey: key(),
      attachmentIds: [up.body.fileId],
    })
    expect(sent.body.message).toMatchObject({ kind: 'voice', attachments: [{ durationMs: 9000 }] })
    const member = await callerFor(t, neighbour)
    const played = await t.app.inject({ url: up.body.url, headers: member.session.headers })
    expect(played.statusCode).toBe(200)
    expect(played.headers['content-type']).toBe('audio/ogg')
    const outsider = await t.app.inject({ url: up.body.url, headers: w.stranger.session.headers })
    expect(outsider.statusCode).toBe(404)
  })
})
