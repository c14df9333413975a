import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { groupMembers, users } from '../../db/schema/index'
import { scopeOf } from '../../lib/scope'
import {
  buildArea,
  buildDirectConversation,
  buildGroup,
  buildMessage,
  buildOfficer,
  buildResident,
  buildWard,
  grantRole,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { loadActor } from '../auth/actor.repository'
import { messageRepository } from './message.repository'
import { readsOnlyOwn } from './messaging.policy'
import { callerFor } from './messaging.test-support'

/**
 * The catch-ups of residents who read only their own conversations are read many at once (a
 * reconnect storm after a restart): each must get exactly what its own query would give it —
 * same messages, same order, same page — and never a message of a room it may not read.
 */
let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const { user: officer } = await buildOfficer(t.db, { areas: [area], unit: ward })
  const resident = (name: string) => buildResident(t.db, { area, displayName: name })
  const [active, muted, pending, removed, outsider, moderator] = await Promise.all(
    ['active', 'muted', 'pending', 'removed', 'outsider', 'moderator'].map(resident),
  )
  await grantRole(t.db, moderator!.id, 'moderator', ward.id)
  const group = await buildGroup(t.db, {
    unit: area,
    owner: officer,
    members: [active!, muted!, pending!, removed!],
  })
  const other = await buildGroup(t.db, { unit: area, owner: officer, members: [outsider!] })
  for (const [who, status] of [
    [muted!, 'muted'],
    [pending!, 'pending'],
    [removed!, 'removed'],
  ] as const)
    await t.db
      .update(groupMembers)
      .set({ status })
      .where(and(eq(groupMembers.groupId, group.group.id), eq(groupMembers.userId, who.id)))
  const directs = await Promise.all(
    [active!, muted!, outsider!].map((r) => buildDirectConversation(t.db, { resident: r, area })),
  )
  // Interleaved in the stream: group posts, the other group's, direct answers and internal notes.
  for (let i = 0; i < 6; i++) {
    await buildMessage(t.db, { conversation: group.conversation, author: officer, body: `g${i}` })
    await buildMessage(t.db, { conversation: other.conversation, author: outsider!, body: `o${i}` })
    for (const d of directs) {
      await buildMessage(t.db, { conversation: d, author: officer, body: `d${i}` })
      if (i % 2 === 0)
        await buildMessage(t.db, { conversation: d, author: officer, body: `note${i}`, isInternal: true })
    }
  }
  return { officer, residents: { active, muted, pending, removed, outsider, moderator } }
}

async function actorOf(id: string) {
  const [row] = await t.db.select().from(users).where(eq(users.id, id))
  return loadActor(t.db, row!, 'sync-batch')
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id)

describe('catch-ups read together', () => {
  it('give each resident exactly what its own query gives, at every cursor and page size', async () => {
    const w = await world()
    const head = await messageRepository.head(t.db)
    const residents = Object.values(w.residents).filter((r) => r!.displayName !== 'moderator')
    const start = head - 60
    const asks: { userId: string; after: number; limit: number }[] = []
    for (const r of residents)
      for (const after of [0, start, start + 1, start + 17, head - 3, head - 1, head, head + 5])
        for (const limit of [1, 2, 5, 501]) asks.push({ userId: r!.id, after, limit })
    // The same ask twice in one statement is answered twice.
    asks.push({ ...asks[7]! })
    const together = await messageRepository.syncOwn(t.db, asks)
    expect(together).toHaveLength(asks.length)
    for (const [i, ask] of asks.entries()) {
      const actor = await actorOf(ask.userId)
      expect(readsOnlyOwn(scopeOf(actor))).toBe(true)
      const alone = await messageRepository.sync(t.db, scopeOf(actor), ask.after, ask.limit)
      expect(ids(together[i]!), JSON.stringify(ask)).toEqual(ids(alone))
      expect(together[i]).toEqual(alone)
    }
    // What they may read, by the names of the bodies: never the other group, internal notes, or
    // another resident's conversation; nothing of the group for pending and removed members.
    const bodies = async (id: string) =>
      (await messageRepository.syncOwn(t.db, [{ userId: id, after: start, limit: 500 }]))[0]!.map(
        (m) => m.body,
      )
    expect(await bodies(w.residents.active!.id)).toEqual([
      'g0',
      'd0',
      'g1',
      'd1',
      'g2',
      'd2',
      'g3',
      'd3',
      'g4',
      'd4',
      'g5',
      'd5',
    ])
    expect(await bodies(w.residents.muted!.id)).toEqual(await bodies(w.residents.active!.id))
    expect(await bodies(w.residents.pending!.id)).toEqual([])
    expect(await bodies(w.residents.removed!.id)).toEqual([])
    expect(await bodies(w.residents.outsider!.id)).toEqual([
      'o0',
      'd0',
      'o1',
      'd1',
      'o2',
      'd2',
      'o3',
      'd3',
      'o4',
      'd4',
      'o5',
      'd5',
    ])
  })

  it('answer many residents asking at the same moment each as if alone, staff and moderators too', async () => {
    const w = await world()
    const head = await messageRepository.head(t.db)
    const moderatorActor = await actorOf(w.residents.moderator!.id)
    expect(readsOnlyOwn(scopeOf(moderatorActor))).toBe(false)
    const callers = await Promise.all([...Object.values(w.residents), w.officer].map((u) => callerFor(t, u!)))
    const urls = [0, head - 40, head - 7, head - 1, head].flatMap((after) => [
      `/api/sync?after=${after}`,
      `/api/sync?after=${after}&limit=3`,
    ])
    const alone: unknown[] = []
    for (const c of callers) for (const url of urls) alone.push((await c.get(url)).body)
    const atOnce = await Promise.all(callers.flatMap((c) => urls.map((url) => c.get(url))))
    expect(atOnce.map((r) => r.status)).toEqual(atOnce.map(() => 200))
    expect(atOnce.map((r) => r.body)).toEqual(alone)
  })
})
