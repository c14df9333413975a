import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, officerPhotos } from '../../db/schema/index'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import {
  buildAdmin,
  buildArea,
  buildCommander,
  buildOfficer,
  buildProvince,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { jpegWithExif, multipart } from '../tips/tips.test-support'

const shell =
  '<!doctype html><html lang="vi"><head><title>Nhịp Cầu</title></head><body><div id="root"></div></body></html>'

let t: TestContext
let dist: string
const s = {} as Record<
  'officer' | 'commander' | 'neighbourCommander' | 'provinceCommander' | 'resident' | 'admin',
  TestSession
>
let area: { id: string; slug: string }
let officerId: string

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'nhipcau-photo-'))
  writeFileSync(join(dist, 'index.html'), shell)
  t = await createTestApp({ WEB_DIST_DIR: dist })
  const province = await buildProvince(t.db)
  const ward = await buildWard(t.db, { parent: province })
  const neighbour = await buildWard(t.db, { parent: province })
  area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 5' })
  const { user: officer } = await buildOfficer(t.db, {
    unit: ward,
    areas: [area as never],
    displayName: 'Lê Đức Chương',
  })
  officerId = officer.id
  const { user: commander } = await buildCommander(t.db, { unit: ward })
  s.officer = await signInAs(t.app, officer)
  s.commander = await signInAs(t.app, commander)
  s.neighbourCommander = await signInAs(t.app, (await buildCommander(t.db, { unit: neighbour })).user)
  s.provinceCommander = await signInAs(t.app, (await buildCommander(t.db, { unit: province })).user)
  s.resident = await signInAs(t.app, await buildResident(t.db, { area: area as never }))
  s.admin = await signInAs(t.app, await buildAdmin(t.db))
})
afterAll(async () => {
  await t.close()
  rmSync(dist, { recursive: true, force: true })
})

const get = (url: string, who?: TestSession) => t.app.inject({ url, headers: who?.headers ?? {} })
const upload = async (who: TestSession, data: Buffer, contentType = 'image/jpeg') => {
  const body = multipart({}, [{ data, filename: 'me.jpg', contentType }])
  return t.app.inject({
    method: 'POST',
    url: '/api/me/photo',
    payload: body.payload,
    headers: { ...who.headers, ...body.headers },
  })
}
const decide = (who: TestSession, id: string, verb: 'approve' | 'refuse', reason?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/staff/officer-photos/${id}/${verb}`,
    headers: who.headers,
    ...(reason ? { payload: { reason } } : {}),
  })
const pendingIds = async (who: TestSession) =>
  ((await get('/api/staff/officer-photos/pending', who)).json() as { items: { id: string }[] }).items.map(
    (i) => i.id,
  )
/** What residents see: the area's officer in the public directory, and the QR landing page's HTML. */
const publicPhoto = async () =>
  (
    (await get(`/api/directory/areas/${area.slug}`)).json() as {
      area: { currentOfficer: { photoUrl: string | null } }
    }
  ).area.currentOfficer.photoUrl
const landingHtml = async () =>
  (await t.app.inject({ url: `/a/${area.slug}`, headers: { accept: 'text/html' } })).body
const posterSvg = async () => (await get(`/api/areas/${area.id}/poster?format=svg`, s.commander)).body
const audits = (entityId: string) =>
  t.db
    .select({ action: auditLog.action, reason: auditLog.reason })
    .from(auditLog)
    .where(and(eq(auditLog.entityId, entityId)))

describe('the officer’s photo', () => {
  let first: string

  it('a file that is not an image is refused and changes nothing', async () => {
    const res = await upload(s.officer, Buffer.from('%PDF-1.4 not a photo at all'))
    expect(res.statusCode).toBe(415)
    expect(res.json().errors[0]).toMatchObject({ field: 'file' })
    const mine = (await get('/api/me/photo', s.officer)).json()
    expect(mine).toEqual({ canSubmit: true, published: null, latest: null })
    expect(await t.db.select().from(officerPhotos).where(eq(officerPhotos.userId, officerId))).toEqual([])
  })

  it('residents and administrators have no photo to send', async () => {
    expect((await upload(s.resident, await jpegWithExif())).statusCode).toBe(403)
    expect((await upload(s.admin, await jpegWithExif())).statusCode).toBe(403)
    expect((await get('/api/me/photo', s.resident)).json()).toMatchObject({ canSubmit: false })
  })

  it('a sent photo waits, square and without EXIF, seen by its owner and no resident', async () => {
    const res = await upload(s.officer, await jpegWithExif())
    expect(res.statusCode).toBe(201)
    const photo = res.json()
    first = photo.id
    expect(photo).toMatchObject({ state: 'pending', url: `/api/officer-photos/${first}` })
    expect((await get('/api/me/photo', s.officer)).json()).toMatchObject({
      published: null,
      latest: { id: first, state: 'pending' },
    })
    const own = await get(photo.url, s.officer)
    expect(own.statusCode).toBe(200)
    const meta = await sharp(own.rawPayload).metadata()
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['jpeg', 512, 512, undefined])
    // Residents, anyone, and a commander of another ward: as if it did not exist.
    expect((await get(photo.url, s.resident)).statusCode).toBe(404)
    expect((await get(photo.url)).statusCode).toBe(404)
    expect((await get(photo.url, s.neighbourCommander)).statusCode).toBe(404)
    expect(await publicPhoto()).toBeNull()
    expect(await landingHtml()).not.toContain('officer-card__photo')
    expect(await posterSvg()).not.toContain('officer-photo')
    expect((await audits(first)).map((a) => a.action)).toEqual(['officer_photo.submit'])
  })

  it('only a commander of the officer’s unit or above sees it waiting and may decide', async () => {
    expect(await pendingIds(s.commander)).toEqual([first])
    expect(await pendingIds(s.provinceCommander)).toEqual([first])
    expect(await pendingIds(s.neighbourCommander)).toEqual([])
    expect((await get('/api/staff/officer-photos/pending', s.officer)).statusCode).toBe(403)
    expect((await get('/api/staff/officer-photos/pending', s.admin)).statusCode).toBe(403)
    expect((await decide(s.neighbourCommander, first, 'approve')).statusCode).toBe(404)
    expect((await decide(s.officer, first, 'approve')).statusCode).toBe(403)
    expect((await decide(s.admin, first, 'approve')).statusCode).toBe(404)
    expect((await get('/api/me/photo', s.officer)).json().latest.state).toBe('pending')
  })

  it('approved, it is on the area page, the landing HTML and the poster, for anyone', async () => {
    const res = await decide(s.commander, first, 'approve')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ state: 'approved' })
    expect(await publicPhoto()).toBe(`/api/officer-photos/${first}`)
    expect(await landingHtml()).toContain(`src="/api/officer-photos/${first}"`)
    const image = await get(`/api/officer-photos/${first}`)
    expect([image.statusCode, image.headers['content-type']]).toEqual([200, 'image/jpeg'])
    expect(await posterSvg()).toContain(`data:image/jpeg;base64,${image.rawPayload.toString('base64')}`)
    expect((await audits(first)).map((a) => a.action)).toEqual([
      'officer_photo.submit',
      'officer_photo.approve',
    ])
    // Decided once: a second approval is a conflict, not a second audit row.
    expect((await decide(s.provinceCommander, first, 'approve')).statusCode).toBe(409)
    expect(await audits(first)).toHaveLength(2)
  })

  it('a replacement waits while the approved one stays public; a refusal says why', async () => {
    const second = (await upload(s.officer, await jpegWithExif())).json().id as string
    expect(await publicPhoto()).toBe(`/api/officer-photos/${first}`)
    expect((await get(`/api/officer-photos/${second}`, s.resident)).statusCode).toBe(404)
    expect((await decide(s.commander, second, 'refuse')).statusCode).toBe(400)
    expect((await decide(s.commander, second, 'refuse', 'Ảnh bị mờ, xin gửi ảnh rõ mặt')).statusCode).toBe(
      200,
    )
    expect((await get('/api/me/photo', s.officer)).json()).toMatchObject({
      published: { id: first, state: 'approved' },
      latest: { id: second, state: 'refused', refusalReason: 'Ảnh bị mờ, xin gửi ảnh rõ mặt' },
    })
    expect(await audits(second)).toContainEqual({
      action: 'officer_photo.refuse',
      reason: 'Ảnh bị mờ, xin gửi ảnh rõ mặt',
    })
    expect(await publicPhoto()).toBe(`/api/officer-photos/${first}`)

    // A third, approved from the province: it takes the place of the first, which is no longer served.
    const third = (await upload(s.officer, await jpegWithExif())).json().id as string
    expect((await decide(s.provinceCommander, third, 'approve')).statusCode).toBe(200)
    expect(await publicPhoto()).toBe(`/api/officer-photos/${third}`)
    expect((await get(`/api/officer-photos/${first}`)).statusCode).toBe(404)
  })

  it('sending again withdraws the one still waiting, so a commander decides on the latest only', async () => {
    const a = (await upload(s.officer, await jpegWithExif())).json().id as string
    const b = (await upload(s.officer, await jpegWithExif())).json().id as string
    expect(await pendingIds(s.commander)).toEqual([b])
    expect((await decide(s.commander, a, 'approve')).statusCode).toBe(409)
  })

  it('a commander’s own photo goes to another commander of the unit or above', async () => {
    const own = (await upload(s.commander, await jpegWithExif())).json().id as string
    expect(await pendingIds(s.commander)).not.toContain(own)
    expect((await decide(s.commander, own, 'approve')).statusCode).toBe(403)
    expect(await pendingIds(s.provinceCommander)).toContain(own)
  })
})
