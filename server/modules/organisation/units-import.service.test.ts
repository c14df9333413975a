import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/client'
import { queryRows } from '../../db/query'
import { buildProvince, buildWard } from '../../test/factories/index'
import { createTestDatabase } from '../../test/test-database'
import { exportUnits } from './units-export.service'
import { importUnits } from './units-import.service'

const hanoiCsv = readFileSync(new URL('../../../catalogue/units/hanoi-communes.csv', import.meta.url), 'utf8')
const groupsCsv = readFileSync(
  new URL('../../../catalogue/units/hai-ba-trung-groups.csv', import.meta.url),
  'utf8',
)

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const countUnder = async (slug: string) => {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from units where path like (select path from units where slug = ${slug}) || '%'`,
  )
  return Number(row?.n ?? 0)
}
const unit = async (slug: string) => {
  const [row] = await queryRows<{
    id: string
    parent_id: string | null
    path: string
    name: string
    code: string | null
  }>(database.db, sql`select id, parent_id, path, name, code from units where slug = ${slug}`)
  return row
}

describe('importing units', () => {
  it('imports Hà Nội and its 126 communes, and a second import changes nothing', async () => {
    const first = await importUnits(database.db, hanoiCsv, { format: 'csv' })
    expect(first.problems).toEqual([])
    expect(first.created).toHaveLength(127)
    expect(await countUnder('ha-noi')).toBe(127)
    const kinds = await queryRows<{ kind: string; n: number }>(
      database.db,
      sql`select kind, count(*)::int as n from units where parent_id = (select id from units where code = '01') group by kind order by kind`,
    )
    expect(kinds.map((k) => [k.kind, Number(k.n)])).toEqual([
      ['commune', 75],
      ['ward', 51],
    ])

    const again = await importUnits(database.db, hanoiCsv, { format: 'csv' })
    expect(again.problems).toEqual([])
    expect(again.created).toHaveLength(0)
    expect(again.updated).toHaveLength(0)
    expect(again.unchanged).toHaveLength(127)
    expect(await countUnder('ha-noi')).toBe(127)
    const logged = await queryRows<{ action: string; details: Record<string, number> }>(
      database.db,
      sql`select action, details from audit_log where action = 'unit.import' order by id`,
    )
    expect(logged).toEqual([{ action: 'unit.import', details: { created: 127, updated: 0, unchanged: 0 } }])
    const ward = await unit('phuong-hai-ba-trung')
    const city = await unit('ha-noi')
    expect(ward).toMatchObject({ code: '00256', name: 'Phường Hai Bà Trưng', parent_id: city!.id })
    expect(ward!.path).toBe(`${city!.path}${ward!.id}/`)
  })

  it('imports the demo ward’s residential groups under the ward, by the ward’s slug', async () => {
    const report = await importUnits(database.db, groupsCsv, { format: 'csv' })
    expect(report.problems).toEqual([])
    expect(report.created.length).toBeGreaterThanOrEqual(6)
    expect(await countUnder('phuong-hai-ba-trung')).toBe(1 + report.created.length)
    const group = await unit('hai-ba-trung-tdp-3')
    expect(group!.path.startsWith((await unit('phuong-hai-ba-trung'))!.path)).toBe(true)
  })

  it('reports what a changed file would do on a dry run, and writes nothing', async () => {
    const changed = hanoiCsv
      .replace(
        '00070,phuong-hoan-kiem,01,commune,ward,Phường Hoàn Kiếm,',
        '00070,phuong-hoan-kiem,01,commune,ward,Phường Hoàn Kiếm (mới),',
      )
      .concat('99990,phuong-thu-nghiem,01,commune,ward,Phường Thử Nghiệm,2025-07-01\n')
    const dry = await importUnits(database.db, changed, { format: 'csv', dryRun: true })
    expect(dry.problems).toEqual([])
    expect(dry.created.map((c) => c.key)).toEqual(['99990'])
    expect(dry.updated).toEqual([expect.objectContaining({ key: '00070', changes: ['name'] })])
    expect(dry.unchanged).toHaveLength(126)
    expect((await unit('phuong-hoan-kiem'))!.name).toBe('Phường Hoàn Kiếm')
    expect(await unit('phuong-thu-nghiem')).toBeUndefined()
  })

  it('imports nothing when one row is bad, and names its line and field', async () => {
    const lines = hanoiCsv.split('\n')
    const badLine = lines.findIndex((l) => l.startsWith('00229,')) + 1
    const bad = lines
      .map((l) => (l.startsWith('00229,') ? l.replace(',commune,ward,', ',commune,castle,') : l))
      .concat('99991,phuong-moi-hoan-toan,01,commune,ward,Phường Mới Hoàn Toàn,2025-07-01')
      .join('\n')
    const report = await importUnits(database.db, bad, { format: 'csv' })
    expect(report.problems).toEqual([
      expect.objectContaining({ line: badLine, field: 'kind', code: 'unknown_kind' }),
    ])
    expect(report.created).toEqual([])
    expect(await unit('phuong-moi-hoan-toan')).toBeUndefined()
    expect(await countUnder('ha-noi')).toBeGreaterThanOrEqual(127)
  })

  it('reports every kind of bad row with its line: parse, parent, duplicate, date, phone', async () => {
    const csv = [
      'code,slug,parent,level,kind,name,phone,valid_from',
      '77001,xa-mot,01,commune,commune,Xã Một,,2025-07-01',
      '77002,xa-hai,khong-co,commune,commune,Xã Hai,,',
      '77001,xa-ba,01,commune,commune,Xã Ba,,',
      '77004,xa-bon,01,commune,commune,Xã Bốn,,2025-13-40',
      '77005,xa-nam,01,commune,commune,Xã Năm,12345,',
      '77006,xa-sau,,commune,commune,Xã Sáu,,',
      '77007,"xa-bay",01,commune,commune',
    ].join('\n')
    const report = await importUnits(database.db, csv, { format: 'csv' })
    expect(report.problems.map((p) => [p.line, p.field ?? null, p.code])).toEqual([
      [5, 'valid_from', 'not_date'],
      [6, 'phone', 'phone_invalid'],
      [8, null, 'cell_count'],
    ])
    const semantic = await importUnits(database.db, csv.split('\n').slice(0, 4).join('\n'), { format: 'csv' })
    expect(semantic.problems.map((p) => [p.line, p.field ?? null, p.code])).toEqual([
      [3, 'parent', 'parent_not_found'],
      [4, 'code', 'duplicate'],
    ])
    expect(await unit('xa-mot')).toBeUndefined()
  })

  it('requires a parent below the top level and a parent of a higher level', async () => {
    const orphan = 'code,slug,parent,level,kind,name\n77101,xa-mo-coi,,commune,commune,Xã Mồ Côi\n'
    expect((await importUnits(database.db, orphan, { format: 'csv' })).problems).toEqual([
      expect.objectContaining({ line: 2, field: 'parent', code: 'parent_required' }),
    ])
    const upside = 'slug,parent,level,kind,name\ntinh-la,hai-ba-trung-tdp-1,province,province,Tỉnh Lạ\n'
    expect((await importUnits(database.db, upside, { format: 'csv' })).problems).toEqual([
      expect.objectContaining({ line: 2, field: 'parent', code: 'parent_level' }),
    ])
  })

  it('gives a code to a unit created earlier without one, matching it by slug', async () => {
    const province = await buildProvince(database.db, { slug: 'tinh-thu', code: null, name: 'Tỉnh Thử' })
    const ward = await buildWard(database.db, { parent: province, slug: 'phuong-cu', name: 'Phường Cũ' })
    const csv = `code,slug,parent,level,kind,name\n88000,tinh-thu,,province,city,Tỉnh Thử\n88001,phuong-cu,88000,commune,ward,Phường Cũ\n`
    const report = await importUnits(database.db, csv, { format: 'csv' })
    expect(report.problems).toEqual([])
    expect(report.created).toEqual([])
    expect(report.updated.map((u) => u.changes)).toEqual([['code'], ['code']])
    expect((await unit('phuong-cu'))!.id).toBe(ward.id)
  })

  it('moves a unit and its subtree when its parent changes', async () => {
    const csv = [
      'slug,parent,level,kind,name',
      'tinh-a,,province,province,Tỉnh A',
      'tinh-b,,province,province,Tỉnh B',
      'xa-di-chuyen,tinh-a,commune,commune,Xã Di Chuyển',
      'thon-1-di-chuyen,xa-di-chuyen,residential_group,village,Thôn 1',
    ].join('\n')
    await importUnits(database.db, csv, { format: 'csv' })
    const moved = await importUnits(database.db, csv.replace('xa-di-chuyen,tinh-a', 'xa-di-chuyen,tinh-b'), {
      format: 'csv',
    })
    expect(moved.updated).toEqual([expect.objectContaining({ key: 'xa-di-chuyen', changes: ['parent'] })])
    const b = await unit('tinh-b')
    const village = await unit('thon-1-di-chuyen')
    expect(village!.path.startsWith(b!.path)).toBe(true)
    expect(await countUnder('tinh-a')).toBe(1)
  })

  it('moves an existing unit under a unit created by the same file', async () => {
    await importUnits(
      database.db,
      'slug,parent,level,kind,name\ntinh-c,,province,province,Tỉnh C\nxa-lac,tinh-c,commune,commune,Xã Lạc\n',
      {
        format: 'csv',
      },
    )
    const csv =
      'slug,parent,level,kind,name\ntinh-d,,province,province,Tỉnh D\nxa-lac,tinh-d,commune,commune,Xã Lạc\n'
    const report = await importUnits(database.db, csv, { format: 'csv' })
    expect(report.problems).toEqual([])
    expect(report.created.map((c) => c.key)).toEqual(['tinh-d'])
    expect((await unit('xa-lac'))!.parent_id).toBe((await unit('tinh-d'))!.id)
  })

  it('exports a subtree that imports back unchanged, in CSV and JSON', async () => {
    const csv = await exportUnits(database.db, { format: 'csv', rootSlug: 'phuong-hai-ba-trung' })
    expect(csv.split('\n')[0]).toBe(
      'code,slug,parent,level,kind,name,address,phone,valid_from,valid_to,household_count,resident_count,geometry',
    )
    expect(csv).toContain(',hai-ba-trung-tdp-2,00256,residential_group,residential_group,Tổ dân phố số 2,')
    const slugs = csv
      .split('\n')
      .slice(1, 5)
      .map((l) => l.split(',')[1])
    expect(slugs).toEqual([
      'phuong-hai-ba-trung',
      'hai-ba-trung-tdp-1',
      'hai-ba-trung-tdp-2',
      'hai-ba-trung-tdp-3',
    ])
    const fromCsv = await importUnits(database.db, csv, { format: 'csv' })
    // The root's own parent (the city, code 01) is outside the subtree but found in the database.
    expect(fromCsv.problems).toEqual([])
    expect(fromCsv.created.length + fromCsv.updated.length).toBe(0)

    const json = await exportUnits(database.db, { format: 'json', rootSlug: 'ha-noi' })
    const parsed = JSON.parse(json) as { units: { code?: string; slug: string }[] }
    expect(parsed.units[0]).toMatchObject({ code: '01', slug: 'ha-noi' })
    const fromJson = await importUnits(database.db, json, { format: 'json', dryRun: true })
    expect(fromJson.problems).toEqual([])
    expect(fromJson.unchanged).toHaveLength(parsed.units.length)
  })

  it('reads JSON with numbers and geometry, and names the entry of a bad one', async () => {
    const good = JSON.stringify([
      {
        slug: 'dac-khu-thu',
        parent: '01',
        level: 'commune',
        kind: 'special_zone',
        name: 'Đặc khu Thử',
        household_count: 1200,
        geometry: { type: 'Point', coordinates: [105.85, 21.02] },
      },
    ])
    const ok = await importUnits(database.db, good, { format: 'json' })
    expect(ok.problems).toEqual([])
    const bad = JSON.stringify([
      {
        slug: 'x-1',
        parent: '01',
        level: 'commune',
        kind: 'ward',
        name: 'X',
        geometry: { type: 'Point', coordinates: [500, 0] },
      },
    ])
    expect((await importUnits(database.db, bad, { format: 'json' })).problems).toEqual([
      expect.objectContaining({ line: 1, field: 'geometry', code: 'bad_geometry' }),
    ])
  })
})
