import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildAlertsWorld } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { xmlWellFormedErrors, xsdErrors } from '../../test/xml-check'
import { as, foundPerson, publish } from './alerts.test-helpers'

const XSD = join(import.meta.dirname, 'fixtures', 'CAP-v1.2.xsd')

/** Validates a CAP document against the OASIS CAP 1.2 schema; returns libxml2's complaints. */
function validateCap(xml: string): string {
  return xsdErrors(xml, XSD)
}

let t: TestContext
let w: Awaited<ReturnType<typeof buildAlertsWorld>>
beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'https://nhipcau.example.vn' })
})
afterAll(async () => t.close())
beforeEach(async () => {
  w = await buildAlertsWorld(t.db)
})

/** A photo with EXIF and GPS in it, as a phone camera writes it. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 900, height: 700, channels: 3, background: '#8899aa' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Cheap 1', Copyright: 'Nguyen Van A' } })
    .toBuffer()
}

async function uploadPhoto(alertId: string, headers: Record<string, string>) {
  const boundary = '----alertphoto'
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\nẢnh cụ bà\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    await phonePhoto(),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return t.app.inject({
    method: 'POST',
    url: `/api/alerts/${alertId}/photos`,
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  })
}

describe('CAP 1.2', () => {
  it('publishes Alert, Update and Cancel messages that validate against the OASIS schema', async () => {
    // The validator itself rejects a CAP alert that lacks its required elements.
    expect(
      validateCap('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>'),
    ).toMatch(/alert.*Missing child element/)
    const officer = await as(t.app, w.officer)
    const draft = await officer.call(
      'POST',
      '/api/alerts',
      foundPerson({
        scope: { kind: 'unit' },
        expires: new Date(Date.now() + 86_400_000).toISOString(),
        geometry: {
          type: 'polygon',
          points: [
            [21.01, 105.85],
            [21.02, 105.85],
            [21.02, 105.86],
            [21.01, 105.86],
          ],
        },
        description: 'Cụ nói "con tôi ở phố Lò Đúc" & <không nhớ số nhà>',
      }),
    )
    const id = draft.json().id as string
    expect((await uploadPhoto(id, officer.headers)).statusCode).toBe(201)
    // A draft is not CAP yet, for anyone: strangers are asked to sign in, its officer gets 404.
    expect((await (await as(t.app, null)).call('GET', `/api/alerts/${id}/cap.xml`)).statusCode).toBe(401)
    expect((await officer.call('GET', `/api/alerts/${id}/cap.xml`)).statusCode).toBe(404)
    await officer.call('POST', `/api/alerts/${id}/submit`)

    const first = await t.app.inject({ url: `/api/alerts/${id}/cap.xml` })
    expect(first.statusCode).toBe(200)
    expect(first.headers['content-type']).toMatch(/^application\/cap\+xml/)
    expect(validateCap(first.body)).toBe('')
    expect(first.body).toContain('<msgType>Alert</msgType>')
    expect(first.body).toContain('&amp; &lt;không nhớ số nhà&gt;')
    expect(first.body).toMatch(/<sent>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00<\/sent>/)
    expect(first.body).toContain(`<uri>https://nhipcau.example.vn/api/alerts/${id}/photos/`)
    expect(first.body).toContain(
      '<polygon>21.01,105.85 21.02,105.85 21.02,105.86 21.01,105.86 21.01,105.85</polygon>',
    )
    const identifier = /<identifier>([^<]+)<\/identifier>/.exec(first.body)![1]!

    await officer.call('POST', `/api/alerts/${id}/updates`, { close: { outcome: 'Đã đoàn tụ gia đình' } })
    const update = (await t.app.inject({ url: `/api/alerts/${id}/cap.xml` })).body
    expect(validateCap(update)).toBe('')
    expect(update).toContain('<msgType>Update</msgType>')
    expect(update).toMatch(new RegExp(`<references>[^<]*,${identifier},[^<]+</references>`))

    const second = await publish(
      t.app,
      w.officer,
      foundPerson({
        kind: 'scam_warning',
        capStatus: 'Exercise',
        scope: { kind: 'areas', unitIds: [w.area.id] },
      }),
    )
    await officer.call('POST', `/api/alerts/${second.id}/cancel`, { note: 'Diễn tập xong' })
    const cancel = (await t.app.inject({ url: `/api/alerts/${second.id}/cap.xml` })).body
    expect(validateCap(cancel)).toBe('')
    expect(cancel).toContain('<msgType>Cancel</msgType>')
    expect(cancel).toContain('<status>Exercise</status>')
  })

  it('a restricted alert is not public: no CAP, no share page, no feed entry for strangers', async () => {
    const sent = await publish(
      t.app,
      w.officer,
      foundPerson({ capScope: 'Restricted', scope: { kind: 'unit' } }),
    )
    expect((await t.app.inject({ url: `/api/alerts/${sent.id}/cap.xml` })).statusCode).toBe(401)
    expect(
      (await (await as(t.app, w.farResident)).call('GET', `/api/alerts/${sent.id}/cap.xml`)).statusCode,
    ).toBe(404)
    expect((await t.app.inject({ url: `/alerts/${sent.id}/share` })).statusCode).toBe(404)
    const feed = await t.app.inject({ url: `/feeds/units/${w.ward.slug}/alerts.atom` })
    expect(feed.body).not.toContain(sent.id)
    const staff = await (await as(t.app, w.officer)).call('GET', `/api/alerts/${sent.id}/cap.xml`)
    expect(validateCap(staff.body)).toBe('')
    expect(staff.body).toContain('<restriction>')
  })
})

describe('Atom feeds', () => {
  it("carry each alert's CAP message inline, per unit and per province", async () => {
    const a = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    const b = await publish(
      t.app,
      w.commander,
      foundPerson({ kind: 'scam_warning', headline: 'Cảnh báo giả danh công an gọi điện' }),
    )
    const unitFeed = await t.app.inject({ url: `/feeds/units/${w.ward.slug}/alerts.atom` })
    expect(unitFeed.statusCode).toBe(200)
    expect(unitFeed.headers['content-type']).toMatch(/^application\/atom\+xml/)
    const entries = unitFeed.body.split('<entry>').slice(1)
    expect(entries).toHaveLength(2)
    for (const entry of entries) {
      expect(entry).toContain('<content type="application/cap+xml">')
      const cap = /<alert xmlns="urn:oasis:names:tc:emergency:cap:1\.2">[\s\S]*?<\/alert>/.exec(entry)![0]
      expect(validateCap(`<?xml version="1.0" encoding="UTF-8"?>\n${cap}`)).toBe('')
    }
    // The neighbouring ward's feed shows the alert addressed to it, not the ward-only one.
    const neighbourFeed = (await t.app.inject({ url: `/feeds/units/${w.neighbourWard.slug}/alerts.atom` }))
      .body
    expect(neighbourFeed).toContain(b.id)
    expect(neighbourFeed).not.toContain(a.id)
    const provinceFeed = (await t.app.inject({ url: `/feeds/provinces/${w.province.slug}/alerts.atom` })).body
    expect(provinceFeed).toContain(a.id)
    expect(provinceFeed).toContain(b.id)
    expect((await t.app.inject({ url: `/feeds/provinces/${w.ward.slug}/alerts.atom` })).statusCode).toBe(404)
    expect(xmlWellFormedErrors(unitFeed.body)).toBe('')
  })
})

describe('share page and photos', () => {
  it('serves a small page with Open Graph tags and the photo, without signing in', async () => {
    const officer = await as(t.app, w.officer)
    const id = (await officer.call('POST', '/api/alerts', foundPerson({ scope: { kind: 'unit' } }))).json()
      .id as string
    const photo = (await uploadPhoto(id, officer.headers)).json()
    expect((await t.app.inject({ url: `/alerts/${id}/share` })).statusCode).toBe(404)
    await officer.call('POST', `/api/alerts/${id}/submit`)

    const page = await t.app.inject({ url: `/alerts/${id}/share`, headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain(
      '<meta property="og:title" content="Tìm người thân: Tìm người thân cho cụ bà khoảng 80 tuổi">',
    )
    expect(page.body).toContain(
      `<meta property="og:url" content="https://nhipcau.example.vn/alerts/${id}/share">`,
    )
    expect(page.body).toContain(`<meta property="og:image" content="https://nhipcau.example.vn${photo.url}">`)
    expect(page.body).toMatch(/<meta property="og:description" content="Cụ bà tự giới thiệu/)
    expect(page.body).not.toContain('<script')
    expect(Buffer.byteLength(page.body)).toBeLessThan(12_000)

    const english = await t.app.inject({ url: `/alerts/${id}/share`, headers: { 'accept-language': 'en' } })
    expect(english.body).toContain('Found person — family sought')
  })

  it('strips EXIF from photos and serves them to the public once published', async () => {
    const officer = await as(t.app, w.officer)
    const id = (await officer.call('POST', '/api/alerts', foundPerson({ scope: { kind: 'unit' } }))).json()
      .id as string
    const photo = (await uploadPhoto(id, officer.headers)).json()
    expect((await t.app.inject({ url: photo.url })).statusCode).toBe(401)
    await officer.call('POST', `/api/alerts/${id}/submit`)
    const got = await t.app.inject({ url: photo.url })
    expect(got.statusCode).toBe(200)
    const meta = await sharp(got.rawPayload).metadata()
    expect(meta.format).toBe('jpeg')
    expect(meta.exif).toBeUndefined()
    expect(got.rawPayload.includes(Buffer.from('PhoneMaker'))).toBe(false)
    const thumb = await sharp((await t.app.inject({ url: photo.thumbUrl })).rawPayload).metadata()
    expect(thumb.width).toBeLessThanOrEqual(480)

    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/alerts/${id}/photos`,
      headers: { ...officer.headers, 'content-type': 'multipart/form-data; boundary=x' },
      payload:
        '--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nnot a photo\r\n--x--\r\n',
    })
    expect(bad.statusCode).toBe(415)
  })
})
