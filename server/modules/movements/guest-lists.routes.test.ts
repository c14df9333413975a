import { deflateRawSync } from 'node:zlib'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { guestLists, residenceReports } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import { buildGroup, buildResident } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { buildXlsx } from '../../test/xlsx-builder'
import { buildMovementsWorld, caller, type MovementsWorld, multipartBody } from './movements.test-support'

let t: TestContext
let call: ReturnType<typeof caller>
beforeAll(async () => {
  t = await createTestApp()
  call = caller(t)
})
afterAll(() => t.close())

const ADDRESS = 'Khách sạn Sông Hồng, số 15 phố Huế'

/** A guest house of the world's home area: a member of the ward's businesses' group. */
async function buildHotel(w: MovementsWorld) {
  const hotel = await buildResident(t.db, { area: w.otherArea })
  await buildGroup(t.db, {
    unit: w.ward,
    owner: w.users.commander,
    members: [hotel],
    kind: 'security_conditional_business',
  })
  return hotel
}

async function upload(
  user: { id: string; kind: 'resident' | 'staff' },
  areaId: string,
  file: { name: string; type?: string; data: Buffer },
  headers: Record<string, string> = {},
) {
  const s = await signInAs(t.app, user)
  const body = multipartBody({ areaId, address: ADDRESS }, { type: 'text/csv', ...file })
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/movements/guest-lists/upload',
    payload: body.payload,
    headers: { ...s.headers, ...body.headers, ...headers },
  })
  return { status: res.statusCode, body: res.json() }
}

const reportsOf = (reporterId: string) =>
  t.db.select().from(residenceReports).where(eq(residenceReports.reporterId, reporterId))

const csv = (lines: string[]) => Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`)
const HEADER = 'STT,Họ và tên,Ngày sinh,Số CCCD/Hộ chiếu,Quốc tịch,Số phòng,Ngày đến,Giờ đến,Ngày đi'
const good = [
  '1,Nguyễn Văn An,01/02/1990,001090001234,Việt Nam,203,04/12/2026,21:30,06/12/2026',
  '2,Kim Min-jun,03/04/1988,M12345678,Hàn Quốc,204,04/12/2026,23h15,07/12/2026',
  '3,"Trần Thị Bình, con",05/06/2001,079301009876,VN,205,04/12/2026,,05/12/2026',
]

describe('a hotel’s guest list file', () => {
  it('imports nothing when a row is wrong and says which row and column; the fixed file goes through once', async () => {
    const w = await buildMovementsWorld(t)
    const hotel = await buildHotel(w)
    const bad = [
      good[0]!,
      good[1]!.replace('M12345678', 'M1'),
      good[2]!.replace('079301009876', '79301009876'),
    ]
    const refused = await upload(hotel, w.area.id, { name: 'khach-04-12.csv', data: csv([HEADER, ...bad]) })
    expect(refused.status).toBe(400)
    expect(refused.body.detail).toBe(
      'Danh sách có 2 dòng chưa đúng. Chưa nhập khách nào: anh/chị sửa các dòng được chỉ ra rồi gửi lại.',
    )
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'file', code: 'rows_invalid' })])
    expect(refused.body.rows).toEqual([
      {
        row: 3,
        column: 'Số CCCD/Hộ chiếu',
        field: 'person.idNumber',
        code: 'custom',
        message: 'Số hộ chiếu gồm 6 đến 9 chữ cái hoặc chữ số.',
      },
      {
        row: 4,
        column: 'Số CCCD/Hộ chiếu',
        field: 'person.idNumber',
        code: 'custom',
        message: expect.stringContaining('Có thể Excel đã bỏ số 0 ở đầu'),
      },
    ])
    expect(await reportsOf(hotel.id)).toHaveLength(0)
    expect(await t.db.select().from(guestLists).where(eq(guestLists.reporterId, hotel.id))).toHaveLength(0)

    const file = csv([HEADER, ...good])
    const sent = await upload(hotel, w.area.id, { name: 'khach-04-12.csv', data: file })
    expect(sent.status).toBe(201)
    expect(sent.body.guestList).toMatchObject({
      source: 'csv',
      guestCount: 3,
      foreignCount: 1,
      address: ADDRESS,
    })
    expect(sent.body.ignoredColumns).toEqual(['STT', 'Ngày sinh'])
    expect(sent.body.foreignProcedureId).toBe('khai-bao-tam-tru-nguoi-nuoc-ngoai')
    const byName = Object.fromEntries(
      sent.body.guests.map((g: { person: { fullName: string } }) => [g.person.fullName, g]),
    )
    expect(byName['Kim Min-jun']).toMatchObject({
      kind: 'guest',
      status: 'pending',
      person: { idKind: 'passport', idNumber: 'M12345678', nationality: 'KR', isForeign: true },
      arrivalTime: '23:15',
      // A foreign guest: within 12 hours of arrival (23:15 on 04/12 in Việt Nam).
      dueAt: '2026-12-05T04:15:00.000Z',
      note: 'Phòng 204',
    })
    expect(byName['Nguyễn Văn An']).toMatchObject({
      person: { idKind: 'citizen_id', idNumber: '001090001234', nationality: 'VN', isForeign: false },
      fromDate: '2026-12-04',
      toDate: '2026-12-06',
      arrivalTime: '21:30',
    })
    expect(byName['Trần Thị Bình, con']).toMatchObject({ arrivalTime: null })

    const again = await upload(hotel, w.area.id, { name: 'gui-lai.csv', data: file })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ created: false, guestList: { id: sent.body.guestList.id } })
    expect(await reportsOf(hotel.id)).toHaveLength(3)

    // The officer of the area sees the guests in the queue.
    const queue = await call(w.users.officer, 'GET', '/api/movements/queue?kind=guest')
    expect(
      queue.body.items.filter((r: { guestListId: string }) => r.guestListId === sent.body.guestList.id),
    ).toHaveLength(3)
  })

  it('reads an Excel workbook with English headers, date cells and IDs Excel stored as numbers', async () => {
    const w = await buildMovementsWorld(t)
    const hotel = await buildHotel(w)
    const data = await buildXlsx([
      ['No.', 'Guest name', 'Passport / ID No.', 'Nationality', 'Check-in', 'Check-out', 'Room'],
      [1, 'Lê Thị Hoa', 1203004567, 'Vietnam', { date: '2026-12-04' }, { date: '2026-12-05' }, 301],
      [2, 'John Smith', 'X9876543', 'USA', { date: '2026-12-04' }, { date: '2026-12-09' }, 302],
    ])
    const res = await upload(hotel, w.area.id, { name: 'guests.dat', type: 'application/octet-stream', data })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.guestList).toMatchObject({ source: 'xlsx', guestCount: 2, foreignCount: 1 })
    expect(res.body.ignoredColumns).toEqual(['No.'])
    const ids = res.body.guests.map((g: { person: { idNumber: string; nationality: string } }) => [
      g.person.idNumber,
      g.person.nationality,
    ])
    expect(ids).toEqual(
      expect.arrayContaining([
        ['001203004567', 'VN'],
        ['X9876543', 'US'],
      ]),
    )
    expect(res.body.guests[0]).toMatchObject({ fromDate: '2026-12-04', note: 'Phòng 301' })
  })

  it('reads a semicolon CSV saved by Vietnamese Excel (Windows-1258) and names a missing column', async () => {
    const w = await buildMovementsWorld(t)
    const hotel = await buildHotel(w)
    // "Họ tên;Số CMND;Ngày nhận phòng" in Windows-1258: ọ is o + combining dot below (0xF2).
    const header = Buffer.from([
      ...Buffer.from('Ho', 'latin1'),
      0xf2,
      ...Buffer.from(' t', 'latin1'),
      0xea,
      ...Buffer.from('n;S', 'latin1'),
      0xf4,
      0xec,
      ...Buffer.from(' CMND;Nga', 'latin1'),
      0xcc,
      ...Buffer.from('y nh', 'latin1'),
      0xe2,
      0xf2,
      ...Buffer.from('n pho', 'latin1'),
      0xcc,
      ...Buffer.from('ng\r\nMai Van Tu;001088005555;04/12/2026\r\n', 'latin1'),
    ])
    const res = await upload(hotel, w.area.id, { name: 'x.csv', data: header })
    expect(res.status).toBe(400)
    expect(res.body.rows).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'Ngày đi',
        code: 'column_missing',
        message: 'Thiếu cột Ngày đi: thêm cột này vào dòng tiêu đề.',
      }),
    ])
  })

  it('checks the content, not the name: an image, an old .xls, a zip bomb', async () => {
    const w = await buildMovementsWorld(t)
    const hotel = await buildHotel(w)
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.alloc(64),
    ])
    const image = await upload(hotel, w.area.id, { name: 'khach.csv', data: png })
    expect(image.status).toBe(400)
    expect(image.body.errors[0]).toMatchObject({ field: 'file', code: 'file_invalid' })
    expect(image.body.detail).toContain('không phải CSV hoặc Excel')
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ])
    expect((await upload(hotel, w.area.id, { name: 'khach.xlsx', data: xls })).body.detail).toContain(
      '(.xls)',
    )

    // 200 MB of zeros in a ~200 kB zip that claims to hold 1 kB: refused before anything unpacks it.
    const bomb = await buildXlsx([['Họ và tên', 'Số CCCD', 'Ngày đến', 'Ngày đi']])
    const big = deflateRawSync(Buffer.alloc(200 * 1024 * 1024))
    const res = await upload(hotel, w.area.id, { name: 'k.xlsx', data: zipWithEntry(bomb, big, 1024) })
    expect(res.status).toBe(400)
    expect(res.body.detail).toContain('Không đọc được tệp Excel')
    // Honest sizes, but 17 MB of XML once unpacked (the cap is 16 MB per part): refused the same way.
    const huge = await buildXlsx([
      ['Họ và tên', 'Số CCCD', 'Ngày đến', 'Ngày đi'],
      ['a'.repeat(17 * 1024 * 1024), '001099001111', '04/12/2026', '05/12/2026'],
    ])
    expect(huge.length).toBeLessThan(2 * 1024 * 1024)
    expect((await upload(hotel, w.area.id, { name: 'k.xlsx', data: huge })).body.detail).toContain(
      'Không đọc được tệp Excel',
    )
    expect(await reportsOf(hotel.id)).toHaveLength(0)
  })

  it('is refused to a resident who is not a business of the area, and to staff', async () => {
    const w = await buildMovementsWorld(t)
    const data = csv([HEADER, good[0]!])
    expect((await upload(w.users.resident, w.area.id, { name: 'k.csv', data })).status).toBe(403)
    expect((await upload(w.users.officer, w.area.id, { name: 'k.csv', data })).status).toBe(403)
    const hotel = await buildHotel(w)
    expect((await upload(hotel, w.neighbourArea.id, { name: 'k.csv', data })).status).toBe(403)
  })
})

describe('a guest list typed in the form', () => {
  it('names the wrong row and field, imports nothing, then takes the fixed list', async () => {
    const w = await buildMovementsWorld(t)
    const hotel = await buildHotel(w)
    const row = (over: Record<string, unknown> = {}) => ({
      person: { fullName: 'Phạm Văn Dũng', idKind: 'citizen_id', idNumber: '001099001111' },
      fromDate: '2026-12-04',
      toDate: '2026-12-05',
      room: '12',
      ...over,
    })
    const body = {
      clientKey: 'form-list-0001',
      areaId: w.area.id,
      address: ADDRESS,
      rows: [
        row(),
        row({
          person: { fullName: 'Vũ Thị Em', idKind: 'citizen_id', idNumber: '001099002222' },
          toDate: '2026-12-01',
        }),
      ],
    }
    const refused = await call(hotel, 'POST', '/api/movements/guest-lists', body)
    expect(refused.status).toBe(400)
    expect(refused.body.rows).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Ngày đi',
        field: 'toDate',
        message: 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.',
      }),
    ])
    expect(await reportsOf(hotel.id)).toHaveLength(0)
    body.rows[1] = row({ person: { fullName: 'Vũ Thị Em', idKind: 'citizen_id', idNumber: '001099002222' } })
    const sent = await call(hotel, 'POST', '/api/movements/guest-lists', body)
    expect(sent.status).toBe(201)
    expect(sent.body.guestList).toMatchObject({ source: 'form', guestCount: 2, foreignCount: 0 })
    // The outbox sends the same list again when the answer was lost: the first list comes back, nothing new.
    const again = await call(hotel, 'POST', '/api/movements/guest-lists', body)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ created: false, guestList: { id: sent.body.guestList.id } })
    expect(await reportsOf(hotel.id)).toHaveLength(2)
    const dup = await call(hotel, 'POST', '/api/movements/guest-lists', {
      ...body,
      clientKey: 'form-list-0002',
      rows: [row(), row()],
    })
    expect(dup.body.rows).toEqual([
      expect.objectContaining({ row: 2, code: 'duplicate_row', message: 'Số giấy tờ trùng với dòng 1.' }),
    ])
    const english = await t.app.inject({
      method: 'POST',
      url: '/api/movements/guest-lists',
      payload: { ...body, clientKey: 'form-list-0003', rows: [row({ fromDate: '04/12' })] },
      headers: { ...(await signInAs(t.app, hotel)).headers, 'accept-language': 'en' },
    })
    expect(english.json().rows).toEqual([
      expect.objectContaining({ row: 1, column: 'Arrival date', field: 'fromDate' }),
    ])
  })
})

/** Replaces the first entry's data of a zip by `data`, keeping `declared` as its stated size. */
function zipWithEntry(zip: Buffer, data: Buffer, declared: number): Buffer {
  const nameLength = zip.readUInt16LE(26)
  const extraLength = zip.readUInt16LE(28)
  const compressed = zip.readUInt32LE(18)
  const start = 30 + nameLength + extraLength
  const header = Buffer.from(zip.subarray(0, start))
  header.writeUInt16LE(8, 8)
  header.writeUInt32LE(data.length, 18)
  header.writeUInt32LE(declared, 22)
  const rest = Buffer.from(zip.subarray(start + compressed))
  const shift = data.length - compressed
  // Central directory: fix the first entry's sizes and every later offset.
  const eocd = rest.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const cdStart = rest.readUInt32LE(eocd + 16) - start - compressed
  let at = cdStart
  for (let n = 0; n < rest.readUInt16LE(eocd + 10); n++) {
    if (n === 0) {
      rest.writeUInt16LE(8, at + 10)
      rest.writeUInt32LE(data.length, at + 20)
      rest.writeUInt32LE(declared, at + 24)
    } else rest.writeUInt32LE(rest.readUInt32LE(at + 42) + shift, at + 42)
    at += 46 + rest.readUInt16LE(at + 28) + rest.readUInt16LE(at + 30) + rest.readUInt16LE(at + 32)
  }
  rest.writeUInt32LE(rest.readUInt32LE(eocd + 16) + shift, eocd + 16)
  return Buffer.concat([header, data, rest])
}
