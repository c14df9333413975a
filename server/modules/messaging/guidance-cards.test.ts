import { sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { buildArea, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { callerFor, key, uploadAttachment } from './messaging.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const TITLE = 'Phòng cháy khi sạc xe điện'
const TEXT = '1. Không sạc xe qua đêm.\n2. Để bình chữa cháy ở lối ra vào.'
const LINK = 'https://canhsatpccc.gov.vn/huong-dan'

/** An area group with its officer (owner), a moderator, a plain member, and an outsider. */
async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = await callerFor(t, (await buildOfficer(t.db, { areas: [area], unit: ward })).user)
  const leaderUser = await buildResident(t.db, { area, displayName: 'Tổ trưởng Hoa' })
  const memberUser = await buildResident(t.db, { area, displayName: 'Trần Văn Bình' })
  const created = await officer.post('/api/groups', {
    kind: 'residential_area',
    unitId: area.id,
    name: 'Cư dân tổ dân phố',
    joinPolicy: 'open',
  })
  const group = created.body as { id: string; conversationId: string }
  const { code } = (await officer.get(`/api/groups/${group.id}/invite`)).body
  const leader = await callerFor(t, leaderUser)
  const member = await callerFor(t, memberUser)
  for (const c of [leader, member]) expect((await c.post('/api/groups/join', { code })).status).toBe(200)
  await officer.patch(`/api/groups/${group.id}/members/${leaderUser.id}`, { role: 'moderator' })
  const outsider = await callerFor(t, await buildResident(t.db))
  return {
    officer,
    leader,
    member,
    outsider,
    group,
    url: `/api/conversations/${group.conversationId}/messages`,
  }
}

const photo = () =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: '#cc3300' } })
    .withExif({ IFD0: { Make: 'DienThoai', Copyright: 'GPS 21.0278 105.8342' } })
    .jpeg()
    .toBuffer()

async function countMessages(conversationId: string) {
  const [row] = await queryRows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from messages where conversation_id = ${conversationId}`,
  )
  return row!.n
}

const card = (extra: Record<string, unknown> = {}) => ({
  clientKey: key(),
  body: TEXT,
  guidance: { title: TITLE, link: LINK },
  ...extra,
})

describe('guidance cards in a group', () => {
  it('an officer posts a card with a photo (metadata stripped) and a link; members read it as a card', async () => {
    const w = await world()
    const up = await uploadAttachment(t, w.officer, w.group.conversationId, await photo(), {
      filename: 'IMG_0042.JPG',
    })
    expect(up.status).toBe(201)
    const sent = await w.officer.post(w.url, card({ attachmentIds: [up.body.fileId] }))
    expect(sent.status).toBe(201)
    expect(sent.body.message).toMatchObject({
      kind: 'guidance',
      body: TEXT,
      payload: { title: TITLE, link: LINK },
      attachments: [{ kind: 'photo', fileId: up.body.fileId }],
    })

    const thread = await w.member.get(w.url)
    const seen = thread.body.messages.find((m: { id: string }) => m.id === sent.body.message.id)
    expect(seen).toMatchObject({ kind: 'guidance', payload: { title: TITLE, link: LINK }, body: TEXT })
    const image = await t.app.inject({ url: seen.attachments[0].url, headers: w.member.session.headers })
    expect(image.statusCode).toBe(200)
    expect((await sharp(image.rawPayload).metadata()).exif).toBeUndefined()
  })

  it('a moderator may post a card; a plain member and an outsider may not, and nothing is written', async () => {
    const w = await world()
    expect((await w.leader.post(w.url, card())).status).toBe(201)
    const before = await countMessages(w.group.conversationId)
    const byMember = await w.member.post(w.url, card())
    expect(byMember.status).toBe(403)
    expect((await w.outsider.post(w.url, card())).status).toBe(404)
    expect(await countMessages(w.group.conversationId)).toBe(before)
    // The member may still write an ordinary message in the group.
    expect((await w.member.post(w.url, { clientKey: key(), body: 'Cảm ơn anh' })).status).toBe(201)
  })

  it('is never posted into a direct conversation', async () => {
    const w = await world()
    const asked = await w.member.post('/api/ask/messages', { clientKey: key(), body: 'Cho em hỏi' })
    const direct = `/api/conversations/${asked.body.conversationId}/messages`
    expect((await w.officer.post(direct, card())).status).toBe(403)
    expect(await countMessages(asked.body.conversationId)).toBe(1)
  })

  it('refuses a card without title or text, a non-web link, a PDF or two photos, naming the field', async () => {
    const w = await world()
    const before = await countMessages(w.group.conversationId)
    const noTitle = await w.officer.post(w.url, card({ guidance: { title: ' ' } }))
    expect(noTitle.status).toBe(400)
    expect(noTitle.body.errors[0].field).toMatch(/title/)
    const noText = await w.officer.post(w.url, card({ body: '   ' }))
    expect(noText.status).toBe(400)
    expect(noText.body.errors.map((e: { field: string }) => e.field)).toContain('body')
    const script = await w.officer.post(
      w.url,
      card({ guidance: { title: TITLE, link: 'javascript:alert(1)' } }),
    )
    expect(script.status).toBe(400)
    expect(script.body.errors[0].field).toMatch(/link/)
    expect(script.body.errors[0].message).toContain('http')

    const pdf = await uploadAttachment(
      t,
      w.officer,
      w.group.conversationId,
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      {
        filename: 'huong-dan.pdf',
      },
    )
    expect(pdf.status).toBe(201)
    const withPdf = await w.officer.post(w.url, card({ attachmentIds: [pdf.body.fileId] }))
    expect(withPdf.status).toBe(400)
    expect(withPdf.body.errors[0].field).toBe('attachmentIds')
    const ids: string[] = []
    for (const name of ['a.jpg', 'b.jpg'])
      ids.push(
        (await uploadAttachment(t, w.officer, w.group.conversationId, await photo(), { filename: name })).body
          .fileId,
      )
    expect((await w.officer.post(w.url, card({ attachmentIds: ids }))).status).toBe(400)
    const mixed = await w.officer.post(w.url, card({ location: { lat: 21, lng: 105.8 } }))
    expect(mixed.status).toBe(400)
    expect(await countMessages(w.group.conversationId)).toBe(before)
  })

  it('a retried post with the same client key makes one card', async () => {
    const w = await world()
    const first = card()
    const a = await w.officer.post(w.url, first)
    const b = await w.officer.post(w.url, first)
    expect(a.status).toBe(201)
    expect(b.status).toBe(200)
    expect(b.body.message.id).toBe(a.body.message.id)
    const cards = (await w.member.get(w.url)).body.messages.filter(
      (m: { kind: string }) => m.kind === 'guidance',
    )
    expect(cards).toHaveLength(1)
  })

  it('a resident answers the card in the group; the answer quotes the card title for everyone', async () => {
    const w = await world()
    const posted = (await w.officer.post(w.url, card())).body.message
    const answer = await w.member.post(w.url, {
      clientKey: key(),
      body: 'Nhà ống không có lối thoát phụ thì sao ạ?',
      replyToId: posted.id,
    })
    expect(answer.status).toBe(201)
    const seen = (await w.officer.get(w.url)).body.messages.find(
      (m: { id: string }) => m.id === answer.body.message.id,
    )
    expect(seen.replyTo).toMatchObject({ id: posted.id, excerpt: TITLE, authorName: expect.any(String) })
  })
})
