import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { signInAs } from '../../test/auth-helpers'
import {
  buildAdmin,
  buildArea,
  buildCommander,
  buildOfficer,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** Two wards; in each, an officer reads a resident of their area (an audited read). */
async function twoWards() {
  const make = async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const resident = await buildResident(t.db, { area })
    const { user: officer } = await buildOfficer(t.db, { unit: ward, areas: [area] })
    const { user: commander } = await buildCommander(t.db, { unit: ward })
    const s = await signInAs(t.app, officer)
    const read = await t.app.inject({
      url: `/api/residents/${resident.id}?reason=kiểm tra`,
      headers: s.headers,
    })
    expect(read.statusCode).toBe(200)
    return { ward, area, resident, officer, commander }
  }
  return { home: await make(), neighbour: await make() }
}

const auditAs = async (user: { id: string; kind: 'resident' | 'staff' }, query = '') =>
  t.app.inject({ url: `/api/audit${query}`, headers: (await signInAs(t.app, user)).headers })

describe('the audit log', () => {
  it('records a staff read of a resident’s personal data: who, what, which record, why, from where', async () => {
    const { home } = await twoWards()
    const [row] = await queryRows<Record<string, unknown>>(
      t.db,
      sql`select * from audit_log where action = 'resident.read' and entity_id = ${home.resident.id}`,
    )
    expect(row).toMatchObject({
      actor_id: home.officer.id,
      actor_role: 'officer',
      actor_name: home.officer.displayName,
      entity_type: 'user',
      unit_id: home.area.id,
      reason: 'kiểm tra',
      ip: '127.0.0.1',
    })
  })

  it('shows commanders their subtree only, officers their own actions, administrators everything', async () => {
    const { home, neighbour } = await twoWards()
    const forCommander = (await auditAs(home.commander, '?action=resident.read')).json().items
    const ids = forCommander.map((e: { entityId: string }) => e.entityId)
    expect(ids).toContain(home.resident.id)
    expect(ids).not.toContain(neighbour.resident.id)
    expect(forCommander[0]).not.toHaveProperty('ip')

    const forOfficer = (await auditAs(neighbour.officer)).json().items
    expect(forOfficer.every((e: { actorId: string }) => e.actorId === neighbour.officer.id)).toBe(true)
    expect(forOfficer.map((e: { entityId: string }) => e.entityId)).toContain(neighbour.resident.id)

    const forAdmin = (await auditAs(await buildAdmin(t.db), `?actorId=${home.officer.id}`)).json().items
    expect(forAdmin).toHaveLength(1)
    expect(forAdmin[0]).toMatchObject({ action: 'resident.read', ip: '127.0.0.1' })
  })

  it('refuses residents', async () => {
    const res = await auditAs(await buildResident(t.db))
    expect(res.statusCode).toBe(403)
    expect((await t.app.inject('/api/audit')).statusCode).toBe(401)
  })

  it('filters by action prefix and time, and pages backwards', async () => {
    const { home } = await twoWards()
    const admin = await buildAdmin(t.db)
    const future = encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())
    expect((await auditAs(admin, `?from=${future}`)).json().items).toEqual([])
    const page1 = (await auditAs(admin, '?action=resident.&limit=1')).json()
    expect(page1.items).toHaveLength(1)
    expect(page1.nextBefore).toBe(page1.items[0].id)
    const page2 = (await auditAs(admin, `?action=resident.&limit=1&before=${page1.nextBefore}`)).json()
    expect(page2.items[0].id).toBeLessThan(page1.items[0].id)
    expect(home).toBeDefined()
  })

  it('exports CSV of what the caller may see, and records the export', async () => {
    const { home, neighbour } = await twoWards()
    const res = await auditAs(home.commander, '.csv')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/csv/)
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="nhipcau-audit-/)
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe(
      'id,at,actorId,actorRole,actorName,action,entityType,entityId,unitId,reason,details',
    )
    expect(res.body).toContain(home.resident.id)
    expect(res.body).not.toContain(neighbour.resident.id)
    const after = (await auditAs(home.commander, '?action=audit.export')).json().items
    expect(after[0]).toMatchObject({ actorId: home.commander.id, action: 'audit.export' })
  })

  it('is append-only in the database itself: UPDATE, DELETE and TRUNCATE fail', async () => {
    await twoWards()
    await expectRefused(
      sql`update audit_log set action = 'nothing' where id = (select max(id) from audit_log)`,
    )
    await expectRefused(sql`delete from audit_log`)
    await expectRefused(sql`truncate audit_log`)
    const [n] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log`)
    expect(n?.n).toBeGreaterThan(0)
  })

  it('lets only the 30-day IP retention blank the origin of old rows, and nothing else', async () => {
    const [recent] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into audit_log (actor_role, action, entity_type, ip, user_agent) values ('system', 'test.recent', 'x', '10.0.0.1', 'ua') returning id::int`,
    )
    const [old] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into audit_log (at, actor_role, action, entity_type, ip, user_agent) values (now() - interval '31 days', 'system', 'test.old', 'x', '10.0.0.2', 'ua') returning id::int`,
    )
    await expectRefused(sql`update audit_log set ip = null, user_agent = null where id = ${recent!.id}`)
    await expectRefused(
      sql`update audit_log set ip = null, user_agent = null, action = 'x' where id = ${old!.id}`,
    )
    await t.db.execute(sql`update audit_log set ip = null, user_agent = null where id = ${old!.id}`)
    const [row] = await queryRows<{ ip: string | null; action: string }>(
      t.db,
      sql`select ip, action from audit_log where id = ${old!.id}`,
    )
    expect(row).toEqual({ ip: null, action: 'test.old' })
  })
})

/** Drizzle wraps the database error; the trigger's own message is in its cause. */
async function expectRefused(query: ReturnType<typeof sql>) {
  const err = await t.db.execute(query).then(
    () => null,
    (e: unknown) => e as Error & { cause?: Error },
  )
  expect(err, 'the database accepted the statement').not.toBeNull()
  expect(String(err?.cause?.message ?? err?.message)).toMatch(/audit_log is append-only/)
}
