import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/client'
import { queryRows } from '../../db/query'
import { buildProvince, buildWard, type UnitRow } from '../../test/factories/index'
import { createTestDatabase } from '../../test/test-database'
import type { ScaleSize } from './scale-people'
import { seedScale } from './scale-seed'

const SMALL: ScaleSize = {
  areas: 6,
  households: 500,
  residents: 1200,
  officers: 3,
  conversations: 60,
  tips: 10,
  cases: 6,
  alerts: 3,
  days: 92,
}
const NOW = new Date('2026-11-20T03:00:00Z')

let h: DatabaseHandle
let ward: UnitRow
beforeAll(async () => {
  h = await createTestDatabase()
  const province = await buildProvince(h.db)
  ward = await buildWard(h.db, { parent: province, name: 'Phường Định Công', slug: 'phuong-dinh-cong-test' })
  await seedScale(h.db, { scale: 'ward', passwordHash: 'x', now: NOW, size: SMALL, wards: [ward] })
})
afterAll(() => h.close())

const one = async <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) =>
  (await queryRows<T>(h.db, q))[0]!

describe('seed --scale', () => {
  it('makes the ward at the asked size: households, residents, officers and their areas', async () => {
    const areas = await one<{ n: number; households: number }>(
      sql`select count(*)::int as n, sum(household_count)::int as households from units where parent_id = ${ward.id}`,
    )
    expect(areas).toEqual({ n: 6, households: 500 })
    const residents = await one<{ n: number }>(
      sql`select count(*)::int as n from users u join units a on a.id = u.area_id where a.parent_id = ${ward.id}`,
    )
    expect(residents.n).toBe(1200)
    const staff = await queryRows<{ role: string; n: number }>(
      h.db,
      sql`select role, count(*)::int as n from role_grants where unit_id = ${ward.id} group by role order by role`,
    )
    expect(staff).toEqual([
      { role: 'commander', n: 1 },
      { role: 'officer', n: 3 },
    ])
  })

  it('writes a history of conversations answered by the officer of their area, mostly procedures', async () => {
    const rows = await queryRows<{
      labels: string[]
      assignee_id: string
      officer_id: string
      created_at: Date
      first_response_at: Date | null
    }>(
      h.db,
      sql`select c.labels, c.assignee_id, aa.officer_id, c.created_at, c.first_response_at from conversations c
          join area_assignments aa on aa.area_id = c.area_id join units a on a.id = c.area_id
          where c.kind = 'direct' and a.parent_id = ${ward.id}`,
    )
    expect(rows).toHaveLength(60)
    for (const r of rows) {
      expect(r.assignee_id).toBe(r.officer_id)
      expect(new Date(r.created_at).getTime()).toBeLessThanOrEqual(NOW.getTime())
      if (r.first_response_at) expect(new Date(r.first_response_at) >= new Date(r.created_at)).toBe(true)
    }
    const procedures = rows.filter((r) => r.labels[0] === 'procedure').length
    expect(procedures).toBeGreaterThan(rows.length / 2)
  })

  it('numbers each conversation’s messages 1…last_seq without gaps', async () => {
    const bad = await queryRows<{ id: string }>(
      h.db,
      sql`select c.id from conversations c join messages m on m.conversation_id = c.id
          group by c.id, c.last_seq having count(*) <> c.last_seq or max(m.seq) <> c.last_seq`,
    )
    expect(bad).toEqual([])
  })

  it('keeps each alert’s reach counters equal to its recipients', async () => {
    const rows = await queryRows<{ same: boolean }>(
      h.db,
      sql`select a.targeted_count = count(r.user_id) and a.delivered_count = count(r.delivered_at)
            and a.read_count = count(r.read_at) and a.shared_count = count(r.shared_at) as same
          from alerts a left join alert_recipients r on r.alert_id = a.id
          where a.issuing_unit_id = ${ward.id} group by a.id`,
    )
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.same)).toBe(true)
  })
})
