import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, units } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import { buildAdmin, buildArea, buildCommander, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const adminHeaders = async () => (await signInAs(t.app, await buildAdmin(t.db))).headers
const importFile = async (
  payload: { format: 'csv' | 'json'; text: string; dryRun: boolean },
  locale = 'vi',
) =>
  t.app.inject({
    method: 'POST',
    url: '/api/unit-tree/import',
    headers: { ...(await adminHeaders()), 'accept-language': locale },
    payload,
  })
const unitBySlug = async (slug: string) => (await t.db.select().from(units).where(eq(units.slug, slug)))[0]

describe('importing the unit tree from the staff console', () => {
  it('shows the dry-run report (added, changed) and writes nothing until asked', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 1' })
    const text = [
      'slug,parent,level,kind,name,household_count',
      `${area.slug},${ward.slug},residential_group,residential_group,Tổ dân phố số 1 (mới),120`,
      `${ward.slug}-to-moi,${ward.slug},residential_group,residential_group,Tổ dân phố số 12,80`,
    ].join('\n')

    const dry = await importFile({ format: 'csv', text, dryRun: true })
    expect(dry.statusCode).toBe(200)
    expect(dry.json()).toMatchObject({
      dryRun: true,
      written: false,
      created: [{ line: 3, name: 'Tổ dân phố số 12' }],
      updated: [
        {
          line: 2,
          name: 'Tổ dân phố số 1 (mới)',
          changes: expect.arrayContaining(['name', 'householdCount']),
        },
      ],
      refused: [],
    })
    expect(await unitBySlug(`${ward.slug}-to-moi`)).toBeUndefined()
    expect((await unitBySlug(area.slug))?.name).toBe('Tổ dân phố số 1')

    const real = await importFile({ format: 'csv', text, dryRun: false })
    expect(real.json()).toMatchObject({ dryRun: false, written: true })
    expect((await unitBySlug(`${ward.slug}-to-moi`))?.name).toBe('Tổ dân phố số 12')
    expect((await unitBySlug(area.slug))?.householdCount).toBe(120)
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'unit.import')))
    expect(audited.at(-1)?.details).toMatchObject({ created: 1, updated: 1 })

    const again = await importFile({ format: 'csv', text, dryRun: true })
    expect(again.json()).toMatchObject({ created: [], updated: [], unchanged: 2 })
  })

  it('names each refused row and why, in the caller’s language, and writes nothing', async () => {
    const ward = await buildWard(t.db)
    const text = JSON.stringify([
      {
        slug: `${ward.slug}-a`,
        parent: ward.slug,
        level: 'residential_group',
        kind: 'residential_group',
        name: 'Tổ A',
      },
      {
        slug: `${ward.slug}-b`,
        parent: 'khong-co-don-vi-nay',
        level: 'residential_group',
        kind: 'residential_group',
        name: 'Tổ B',
      },
    ])
    const vi = (await importFile({ format: 'json', text, dryRun: false })).json()
    expect(vi).toMatchObject({ written: false, created: [], updated: [] })
    expect(vi.refused).toEqual([
      {
        line: 2,
        where: 'Mục 2',
        field: 'parent',
        code: 'parent_not_found',
        message: 'không tìm thấy đơn vị cấp trên "khong-co-don-vi-nay" (theo mã hoặc slug)',
      },
    ])
    expect(await unitBySlug(`${ward.slug}-a`)).toBeUndefined()
    const en = (await importFile({ format: 'json', text, dryRun: true }, 'en')).json()
    expect(en.refused[0].where).toBe('Entry 2')
  })

  it('exports a subtree that imports again unchanged', async () => {
    const ward = await buildWard(t.db)
    await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 3' })
    const headers = await adminHeaders()
    const res = await t.app.inject({ url: `/api/unit-tree/export?format=csv&root=${ward.slug}`, headers })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${ward.slug}.csv"`)
    expect(res.body).toContain('Tổ dân phố số 3')
    const back = (await importFile({ format: 'csv', text: res.body, dryRun: true })).json()
    expect(back).toMatchObject({ created: [], updated: [], unchanged: 2, refused: [] })
  })

  it('is for administrators only', async () => {
    const ward = await buildWard(t.db)
    const { user } = await buildCommander(t.db, { unit: ward })
    const headers = (await signInAs(t.app, user)).headers
    const res = await t.app.inject({ url: '/api/unit-tree/export', headers })
    expect(res.statusCode).toBe(403)
  })
})
