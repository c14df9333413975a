import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkVideo } from '../../storage/iso-bmff'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { DEVICE_STRING, GPS_STRING, mp4WithMetadata } from '../../test/mp4-fixture'
import { createTestApp, type TestContext } from '../../test/test-app'
import { APP_STRING, TITLE_STRING, webmWithMetadata } from '../../test/webm-fixture'
import { multipart, newKey } from './tips.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const readAll = async (s: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = []
  for await (const c of s) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const { user: officer } = await buildOfficer(t.db, { areas: [area] })
  return { area, officer, staff: await signInAs(t.app, officer) }
}

async function sendAnonymous(areaId: string, data: Buffer, filename = 'clip.mp4', contentType = 'video/mp4') {
  const form = multipart({ category: 'drugs', description: 'Mua bán ma tuý ở ngõ 12', areaId }, [
    { data, filename, contentType },
  ])
  return t.app.inject({
    method: 'POST',
    url: '/api/tips/anonymous',
    payload: form.payload,
    headers: { ...form.headers, 'idempotency-key': newKey() },
  })
}

describe('clips (F4): real containers only, and no hidden metadata from anonymous senders', () => {
  it('an anonymous clip with ©xyz and ©mod is stored and served without them; the hash is the stored file’s', async () => {
    const w = await world()
    const clip = mp4WithMetadata({ size: 200_000 })
    expect(clip.includes(GPS_STRING)).toBe(true)
    expect(clip.includes(DEVICE_STRING)).toBe(true)
    const res = await sendAnonymous(w.area.id, clip)
    expect(res.statusCode, res.body).toBe(201)
    const file = res.json().tip.files[0]
    expect(file).toMatchObject({ kind: 'video', mime: 'video/mp4', size: clip.length })

    const [row] = await t.db.query.evidenceFiles.findMany({ where: (e, { eq }) => eq(e.id, file.id) })
    const stored = await readAll(await t.storage.get(row!.storageKey))
    const served = await t.app.inject({ url: `/api/evidence/${file.id}`, headers: w.staff.headers })
    expect(served.statusCode).toBe(200)
    for (const bytes of [stored, served.rawPayload]) {
      expect(bytes.includes(GPS_STRING), 'GPS').toBe(false)
      expect(bytes.includes(GPS_STRING.slice(0, 8)), 'GPS in meta/ilst').toBe(false)
      expect(bytes.includes(DEVICE_STRING), 'device').toBe(false)
      expect(bytes.includes('com.apple.quicktime.location'), 'location key').toBe(false)
    }
    expect(sha(stored)).toBe(row!.sha256)
    expect(file.sha256).toBe(row!.sha256)
    expect(served.headers['x-evidence-sha256']).toBe(sha(served.rawPayload))
    expect(sha(stored)).not.toBe(sha(clip))
    // Still the same video: same size, same media, a valid structure, creation times zeroed.
    expect(stored.length).toBe(clip.length)
    expect(stored.subarray(stored.length - 1000)).toEqual(clip.subarray(clip.length - 1000))
    const dir = mkdtempSync(join(tmpdir(), 'nhipcau-f4-'))
    writeFileSync(join(dir, 'v.mp4'), stored)
    const fh = await open(join(dir, 'v.mp4'))
    await expect(checkVideo(fh, stored.length)).resolves.toMatchObject({ majorBrand: 'isom' })
    await fh.close()
    const mvhd = stored.indexOf('mvhd')
    expect(stored.readUInt32BE(mvhd + 8)).toBe(0)
    expect(stored.readUInt32BE(mvhd + 12)).toBe(0)
  })

  it('an identified resident’s clip is kept as uploaded (evidence), readable by the case staff and the sender only', async () => {
    const w = await world()
    const resident = await buildResident(t.db, { area: w.area })
    const session = await signInAs(t.app, resident)
    const clip = mp4WithMetadata({ size: 50_000 })
    const form = multipart({ category: 'drugs', description: 'Mua bán ma tuý ở ngõ 12' }, [
      { data: clip, filename: 'clip.mp4' },
    ])
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: form.payload,
      headers: { ...session.headers, ...form.headers, 'idempotency-key': newKey() },
    })
    expect(res.statusCode, res.body).toBe(201)
    const file = res.json().tip.files[0]
    expect(file.sha256).toBe(sha(clip))
    const staffRead = await t.app.inject({ url: `/api/evidence/${file.id}`, headers: w.staff.headers })
    expect(staffRead.rawPayload.equals(clip)).toBe(true)
    const other = await signInAs(t.app, await buildResident(t.db, { area: w.area }))
    expect((await t.app.inject({ url: `/api/evidence/${file.id}`, headers: other.headers })).statusCode).toBe(
      404,
    )
  })

  it('refuses what is not a video: the review’s ftyp-only files, image brands, unknown brands, broken boxes', async () => {
    const w = await world()
    const ftypOnly = Buffer.concat([
      Buffer.from('\0\0\0\x18ftypisom\0\0\x02\0isomiso2', 'latin1'),
      Buffer.alloc(10_000),
    ])
    // security-review.md's gps.mp4: ftyp + moov(mvhd + udta with ©xyz/©mod) + mdat, no track at all
    const noTrack = Buffer.from(
      mp4WithMetadata({ size: 5000 }).toString('latin1').replace('trak', 'free'),
      'latin1',
    )
    const heic = mp4WithMetadata({ size: 5000, brand: 'heic' })
    const avif = mp4WithMetadata({ size: 5000, brand: 'avif' })
    const unknown = mp4WithMetadata({ size: 5000, brand: 'abcd' })
    const truncated = mp4WithMetadata({ size: 5000 }).subarray(0, 3000)
    for (const [name, bytes] of Object.entries({ ftypOnly, noTrack, heic, avif, unknown, truncated })) {
      const res = await sendAnonymous(w.area.id, bytes)
      expect(res.statusCode, name).toBe(415)
    }
  })

  it('an anonymous WebM clip loses its tags (GPS, device), title and apps; the hash is the stored file’s', async () => {
    const w = await world()
    const clip = webmWithMetadata({ unknownSizes: true })
    expect(clip.includes(GPS_STRING) && clip.includes(DEVICE_STRING)).toBe(true)
    const res = await sendAnonymous(w.area.id, clip, 'clip.webm', 'video/webm')
    expect(res.statusCode, res.body).toBe(201)
    const file = res.json().tip.files[0]
    expect(file).toMatchObject({ kind: 'video', mime: 'video/webm', size: clip.length })
    const [row] = await t.db.query.evidenceFiles.findMany({ where: (e, { eq }) => eq(e.id, file.id) })
    const stored = await readAll(await t.storage.get(row!.storageKey))
    const served = await t.app.inject({ url: `/api/evidence/${file.id}`, headers: w.staff.headers })
    for (const bytes of [stored, served.rawPayload])
      for (const secret of [GPS_STRING, DEVICE_STRING, TITLE_STRING, APP_STRING])
        expect(bytes.includes(secret), secret).toBe(false)
    expect(sha(stored)).toBe(row!.sha256)
    expect(served.headers['x-evidence-sha256']).toBe(sha(served.rawPayload))
    expect(stored.length).toBe(clip.length)
  })

  it('refuses a WebM that is not a video: a voice recording (audio only), a broken file, a renamed script', async () => {
    const w = await world()
    const audioOnly = webmWithMetadata({ audioOnly: true })
    const broken = webmWithMetadata().subarray(0, 2000)
    const script = Buffer.concat([
      Buffer.from([0x1a, 0x45, 0xdf, 0xa3]),
      Buffer.from('<script>alert(1)</script>'),
    ])
    for (const [name, bytes] of Object.entries({ audioOnly, broken, script })) {
      const res = await sendAnonymous(w.area.id, bytes, 'clip.webm', 'video/webm')
      expect(res.statusCode, name).toBe(415)
    }
  })
})
