import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { buildAdmin, buildRegisterPerson } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { retentionRules } from '../retention/retention.rules'
import { runRule } from '../retention/retention.service'
import { buildMovementsWorld, caller } from './movements.test-support'

let t: TestContext
let call: ReturnType<typeof caller>
beforeAll(async () => {
  t = await createTestApp()
  call = caller(t)
})
afterAll(() => t.close())

// The retention clock: 15 June 2029, noon in Việt Nam. 25 months before is 15 May 2027, 23 months 15 July 2027.
const clock = new Date('2029-06-15T05:00:00Z')
// The register's rule alone: the audit rule may only blank rows that are 30 days old in real time.
const run = () =>
  runRule(
    { db: t.db, storage: t.storage, now: () => clock },
    retentionRules.find((r) => r.name === 'register_people')!,
  )

describe('the area register’s retention (24 months after a line ended)', () => {
  it('anonymises people whose line ended 25 months ago, keeps those of 23 months, counts unchanged, once', async () => {
    const w = await buildMovementsWorld(t)
    const { officer, commander } = w.users
    const entry = (fullName: string, residence: 'permanent' | 'temporary' | 'stay', untilDate?: string) =>
      buildRegisterPerson(t.db, {
        area: w.area,
        actor: officer,
        address: 'Số 8 ngõ Tràng Tiền',
        fullName,
        residence,
        fromDate: '2026-01-01',
        untilDate: untilDate ?? null,
      })
    const leftLongAgo = await entry('Phạm Văn Đã Đi', 'temporary', '2027-12-31')
    const leftRecently = await entry('Lê Thị Mới Đi', 'temporary', '2027-12-31')
    const stayRanOut = await entry('Hoàng Khách Cũ', 'stay', '2027-05-10')
    const resident = await entry('Nguyễn Văn Thường Trú', 'permanent')
    await t.db.execute(sql`update register_people set ended_on = '2027-05-15', away_destination = 'Đà Nẵng'
      where id = ${leftLongAgo.id}`)
    await t.db.execute(sql`update register_people set ended_on = '2027-07-15' where id = ${leftRecently.id}`)

    const people = () =>
      queryRows<{
        id: string
        full_name: string
        id_number: string
        search_text: string
        nationality: string | null
        away_destination: string | null
        residence: string
        from_date: string | null
        until_date: string | null
        ended_on: string | null
      }>(
        t.db,
        sql`select id, full_name, id_number, search_text, nationality, away_destination, residence,
              from_date::text, until_date::text, ended_on::text
            from register_people where area_id = ${w.area.id} order by id`,
      )
    const register = async () => {
      const page = await call(officer, 'GET', `/api/register/households?areaId=${w.area.id}&includeLeft=true`)
      expect(page.status).toBe(200)
      return (page.body.items as { address: string; people: { status: string }[] }[]).map((h) => ({
        address: h.address,
        statuses: h.people.map((p) => p.status).sort(),
      }))
    }
    const counts = async () => (await call(commander, 'GET', '/api/movements/area-counts')).body
    const search = async (q: string) =>
      (await call(officer, 'GET', `/api/register/households?areaId=${w.area.id}&q=${encodeURIComponent(q)}`))
        .body.items.length

    const before = { people: await people(), register: await register(), counts: await counts() }
    expect(await search('pham van da di')).toBe(1)

    expect(await run()).toBe(2)

    const after = await people()
    const row = (id: string) => after.find((p) => p.id === id)!
    for (const id of [leftLongAgo.id, stayRanOut.id])
      expect(row(id)).toMatchObject({
        full_name: '',
        id_number: '',
        search_text: '',
        nationality: null,
        away_destination: null,
      })
    expect(row(leftRecently.id)).toMatchObject({
      full_name: 'Lê Thị Mới Đi',
      id_number: leftRecently.idNumber,
    })
    expect(row(resident.id)).toMatchObject({
      full_name: 'Nguyễn Văn Thường Trú',
      id_number: resident.idNumber,
    })
    // Nothing but the personal fields moved: same rows, residence and dates; the same register and counts.
    const shape = (rows: typeof after) =>
      rows.map(({ id, residence, from_date, until_date, ended_on }) => ({
        id,
        residence,
        from_date,
        until_date,
        ended_on,
      }))
    expect(shape(after)).toEqual(shape(before.people))
    expect(await register()).toEqual(before.register)
    expect(await counts()).toEqual(before.counts)
    // The name is no longer findable; the recent one still is.
    expect(await search('pham van da di')).toBe(0)
    expect(await search('le thi moi di')).toBe(1)

    // Running again changes nothing more.
    expect(await run()).toBe(0)
    expect(await people()).toEqual(after)

    // The admin page reports the rule with the others.
    const admin = await buildAdmin(t.db)
    const page = await call(admin, 'GET', '/api/admin/retention')
    expect(page.status).toBe(200)
    const rule = (page.body.items as { name: string; period: string; removed: number }[]).find(
      (i) => i.name === 'register_people',
    )
    expect(rule).toMatchObject({ removed: 0 })
    expect(rule!.period).toContain('24 months')
  })
})
