import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { signInAs } from '../../test/auth-helpers'
import { buildAdmin, buildArea, buildCommander, buildOfficer, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { fakeMp4, jpegWithExif, multipart, newKey } from './tips.test-support'

/** F9: an administrator or the unit's commander quarantines a spam tip; the bytes go, the hashes stay. */
let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function spamTip() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const { user: officer } = await buildOfficer(t.db, { unit: ward, areas: [area] })
  const form = multipart({ category: 'other', description: 'Quảng cáo cá độ bóng đá', areaId: area.id }, [
    { data: fakeMp4(20_000), filename: 'a.mp4', contentType: 'video/mp4' },
    { data: await jpegWithExif(), filename: 'b.jpg', contentType: 'image/jpeg' },
  ])
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/tips/anonymous',
    payload: form.payload,
    headers: { ...form.headers, 'idempotency-key': newKey() },
  })
  expect(res.statusCode, res.body).toBe(201)
  return { ward, area, officer, tipId: res.json().tip.id as string, code: res.json().tipCode as string }
}

const filesOf = (tipId: string) =>
  queryRows<{
    id: string
    sha256: string
    storage_key: string
    thumb_key: string | null
    reason: string | null
  }>(
    t.db,
    sql`select id, sha256, storage_key, thumb_key, bytes_removed_reason as reason from evidence_files
        where tip_id = ${tipId} order by kind`,
  )

describe('quarantine of a spam tip', () => {
  it('by the unit’s commander: bytes deleted, hashes and records kept, audited, still listed as quarantined', async () => {
    const { ward, officer, tipId, code } = await spamTip()
    const before = await filesOf(tipId)
    expect(before).toHaveLength(2)
    for (const f of before) expect(await t.storage.stat(f.storage_key)).toBeDefined()

    const { user: commander } = await buildCommander(t.db, { unit: ward })
    const session = await signInAs(t.app, commander)
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/tips/${tipId}/quarantine`,
      payload: { reason: 'Quảng cáo cá độ, gửi lặp lại' },
      headers: session.headers,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ status: 'closed' })
    expect(res.json().quarantinedAt).not.toBeNull()
    expect(res.json().files.map((f: { bytesRemoved: boolean }) => f.bytesRemoved)).toEqual([true, true])

    const after = await filesOf(tipId)
    expect(after.map((f) => [f.id, f.sha256])).toEqual(before.map((f) => [f.id, f.sha256]))
    for (const f of after) {
      expect(f.reason).toBe('quarantine')
      expect(await t.storage.stat(f.storage_key)).toBeUndefined()
      if (f.thumb_key) expect(await t.storage.stat(f.thumb_key)).toBeUndefined()
    }
    const officerSession = await signInAs(t.app, officer)
    const served = await t.app.inject({
      url: `/api/evidence/${after[0]!.id}`,
      headers: officerSession.headers,
    })
    expect(served.statusCode).toBe(404)

    const [entry] = await queryRows<{ actor_id: string; details: { reason: string } }>(
      t.db,
      sql`select actor_id, details from audit_log where action = 'tip.quarantine' and entity_id = ${tipId}`,
    )
    expect(entry).toMatchObject({
      actor_id: commander.id,
      details: { reason: 'Quảng cáo cá độ, gửi lặp lại' },
    })

    const list = await t.app.inject({ url: '/api/tips?filter=all', headers: officerSession.headers })
    expect(list.json().find((i: { id: string }) => i.id === tipId)).toMatchObject({ quarantined: true })

    // The tip code can add nothing more; a second quarantine is refused.
    const more = await t.app.inject({
      method: 'POST',
      url: '/api/tips/code/messages',
      payload: { code, clientKey: newKey(), body: 'Thêm quảng cáo' },
    })
    expect(more.statusCode).toBe(409)
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/tips/${tipId}/quarantine`,
      payload: { reason: 'Lần nữa' },
      headers: session.headers,
    })
    expect(again.statusCode).toBe(409)
  })

  it('by an administrator; not by the area’s officer nor another ward’s commander', async () => {
    const { officer, tipId } = await spamTip()
    const quarantine = async (user: { id: string }) =>
      t.app.inject({
        method: 'POST',
        url: `/api/tips/${tipId}/quarantine`,
        payload: { reason: 'Tin rác' },
        headers: (await signInAs(t.app, user as never)).headers,
      })
    expect((await quarantine(officer)).statusCode).toBe(403)
    expect((await quarantine((await buildCommander(t.db)).user)).statusCode).toBe(404)
    expect((await filesOf(tipId)).map((f) => f.reason)).toEqual([null, null])
    expect((await quarantine(await buildAdmin(t.db))).statusCode).toBe(200)
    expect((await filesOf(tipId)).map((f) => f.reason)).toEqual(['quarantine', 'quarantine'])
  })
})
