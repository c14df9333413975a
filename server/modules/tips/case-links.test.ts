import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import {
  buildArea,
  buildCase,
  buildDirectConversation,
  buildOfficer,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

describe('F17: case links', () => {
  it("refuse another ward's conversation or an unknown id, and accept one the officer may read", async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const officer = (await buildOfficer(t.db, { unit: ward, areas: [area] })).user
    const c = await buildCase(t.db, { area, createdById: officer.id, assigneeId: officer.id })
    const otherArea = await buildArea(t.db)
    const foreign = await buildDirectConversation(t.db, {
      resident: await buildResident(t.db, { area: otherArea }),
      area: otherArea,
    })
    const own = await buildDirectConversation(t.db, { resident: await buildResident(t.db, { area }), area })
    const { headers } = await signInAs(t.app, officer)
    const link = (targetId: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${c.id}/links`,
        headers,
        payload: { kind: 'conversation', targetId },
      })

    const refused = await link(foreign.id)
    expect(refused.statusCode).toBe(400)
    expect(refused.json().errors[0].field).toBe('targetId')
    expect((await link(crypto.randomUUID())).statusCode).toBe(400)
    const ok = await link(own.id)
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json().links.map((l: { targetId: string }) => l.targetId)).toEqual([own.id])
  })
})
