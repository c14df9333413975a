import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { DbOrTx } from '../../db/client'
import { buildArea, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { messageRepository } from './message.repository'
import { type Caller, callerFor, key } from './messaging.test-support'

/**
 * The message stream without a global writer lock: positions are handed out after commit, so
 * writers of different conversations run side by side, and a client resuming from its cursor
 * (GET /api/sync?after=) still never skips a message whose transaction committed late.
 */
let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const onPostgres = !!process.env.DATABASE_URL
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function world(residents: number) {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const officer = await callerFor(t, (await buildOfficer(t.db, { areas: [area], unit: ward })).user)
  const people: { caller: Caller; conversationId: string }[] = []
  for (let i = 0; i < residents; i++) {
    const caller = await callerFor(t, await buildResident(t.db, { area }))
    const first = await caller.post('/api/ask/messages', { clientKey: key(), body: 'Xin chào' })
    expect(first.status).toBe(201)
    people.push({ caller, conversationId: first.body.conversationId })
  }
  return { officer, people }
}

/**
 * Holds each send's write open (inserted, not yet committed) while `hold` runs, as a slow commit
 * would: a send whose write is one autocommitted statement runs it inside a transaction here.
 */
function slowCommits(hold: (conversationId: string) => Promise<void>) {
  const insertSent = messageRepository.insertSent.bind(messageRepository)
  vi.spyOn(messageRepository, 'insertSent').mockImplementation(async (db, values) => {
    const held = async (tx: DbOrTx) => {
      const outcome = await insertSent(tx, values)
      await hold(values.conversationId)
      return outcome
    }
    return db === t.db ? t.db.transaction(held) : held(db)
  })
}

/** Holds every send transaction of the conversations in `stalled` open after its insert, until released. */
function stallInsideTransaction(stalled: Set<string>) {
  let release: () => void = () => {}
  const released = new Promise<void>((r) => (release = r))
  let reached: () => void = () => {}
  const inside = new Promise<void>((r) => (reached = r))
  slowCommits(async (id) => {
    if (stalled.has(id)) {
      reached()
      await released
    }
  })
  return { inside, release }
}

/** Reads the officer's stream from `after` to its end; the cursor to resume from and what came. */
async function readStream(officer: Caller, after: number) {
  const ids: string[] = []
  let cursor = after
  for (;;) {
    const page = await officer.get(`/api/sync?after=${cursor}&limit=50`)
    expect(page.status).toBe(200)
    ids.push(...page.body.messages.map((m: { id: string }) => m.id))
    cursor = page.body.cursor
    if (!page.body.hasMore) return { ids, cursor }
  }
}

describe('the message stream', () => {
  it('never lets a resuming cursor skip a message that committed late, whatever the interleaving', async () => {
    const { officer, people } = await world(6)
    const start = (await officer.get('/api/sync')).body.cursor as number
    // Send transactions stay open for a random while after their insert (a seeded generator: the
    // same interleavings on every run), so commits land in another order than inserts began.
    let seed = 7
    const nextDelay = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return Math.floor((seed / 2147483648) * 40)
    }
    slowCommits(async () => {
      await sleep(nextDelay())
    })
    const acknowledged: string[] = []
    let writing = true
    // Five residents write in their own conversations; the officer and the sixth resident write in
    // the same one at the same time.
    const writers = [
      ...people.map(({ caller }) => ({ caller, url: '/api/ask/messages' })),
      { caller: officer, url: `/api/conversations/${people[5]!.conversationId}/messages` },
    ].map(async ({ caller, url }) => {
      for (let n = 0; n < 6; n++) {
        const res = await caller.post(url, { clientKey: key(), body: `Tin ${n}` })
        expect(res.status).toBe(201)
        acknowledged.push(res.body.message.id)
      }
    })
    // A client that keeps resuming from its cursor while the writers run.
    const seen: string[] = []
    const reader = (async () => {
      let cursor = start
      while (writing) {
        const page = await readStream(officer, cursor)
        // A client between two resumes; a reader that never waited would keep the timers of the
        // writers' transactions (PGlite answers without leaving the microtask queue) from firing.
        await sleep(10)
        seen.push(...page.ids)
        cursor = page.cursor
      }
      seen.push(...(await readStream(officer, cursor)).ids)
    })()
    await Promise.all(writers)
    writing = false
    await reader
    expect(acknowledged).toHaveLength(42)
    expect([...seen].sort()).toEqual([...acknowledged].sort())
  })

  it('answers the same client key sent twice at once with one message', async () => {
    const { people } = await world(1)
    const { caller } = people[0]!
    const clientKey = key()
    const answers = await Promise.all(
      [1, 2].map(() => caller.post('/api/ask/messages', { clientKey, body: 'Gửi hai lần' })),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201])
    expect(answers[0]!.body.message.id).toBe(answers[1]!.body.message.id)
    const thread = await caller.get(`/api/conversations/${people[0]!.conversationId}/messages`)
    expect(thread.body.messages.filter((m: { body: string }) => m.body === 'Gửi hai lần')).toHaveLength(1)
  })

  it('numbers many sends into one conversation at once without a gap, each once, in seq order', async () => {
    const { officer, people } = await world(1)
    const { caller, conversationId } = people[0]!
    const sends = Array.from({ length: 12 }, (_, i) =>
      i % 2
        ? caller.post('/api/ask/messages', { clientKey: key(), body: `Dân ${i}` })
        : officer.post(`/api/conversations/${conversationId}/messages`, {
            clientKey: key(),
            body: `CA ${i}`,
          }),
    )
    const answers = await Promise.all(sends)
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201))
    const sent = answers
      .map((a) => a.body.message as { seq: number; position: number })
      .sort((a, b) => a.seq - b.seq)
    // The resident's first message was seq 1.
    expect(sent.map((m) => m.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2))
    const positions = sent.map((m) => m.position)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
    expect(new Set(positions).size).toBe(12)
    const thread = await caller.get(`/api/conversations/${conversationId}/messages`)
    expect(thread.body.messages).toHaveLength(13)
  })

  it('puts a message committed but not yet numbered (its writer stopped) into the stream on the retry', async () => {
    const { officer, people } = await world(1)
    const { caller } = people[0]!
    const start = (await officer.get('/api/sync')).body.cursor as number
    const clientKey = key()
    vi.spyOn(messageRepository, 'sequence').mockRejectedValueOnce(
      new Error('Connection terminated unexpectedly'),
    )
    const lost = await caller.post('/api/ask/messages', { clientKey, body: 'Chưa có vị trí' })
    expect(lost.status).toBe(503)
    expect((await readStream(officer, start)).ids).toEqual([])

    const retry = await caller.post('/api/ask/messages', { clientKey, body: 'Chưa có vị trí' })
    expect(retry.status).toBe(200)
    expect((await readStream(officer, start)).ids).toEqual([retry.body.message.id])
  })

  // Two transactions open at once need two connections: PGlite has one (its writers always take turns).
  describe.skipIf(!onPostgres)('with concurrent connections (PostgreSQL)', () => {
    it('lets a writer in another conversation commit while one is still open, and resumes past both', async () => {
      const { officer, people } = await world(2)
      const [slow, fast] = people
      const start = (await officer.get('/api/sync')).body.cursor as number
      const stall = stallInsideTransaction(new Set([slow!.conversationId]))
      const slowSend = slow!.caller.post('/api/ask/messages', { clientKey: key(), body: 'Chậm' })
      await stall.inside

      // Under one global lock this send would wait for the open one: here it is acknowledged.
      const quick = await fast!.caller.post('/api/ask/messages', { clientKey: key(), body: 'Nhanh' })
      expect(quick.status).toBe(201)
      const before = await readStream(officer, start)
      expect(before.ids).toEqual([quick.body.message.id])

      // The open one commits after the cursor has moved past the quick one: it is not skipped.
      stall.release()
      const late = await slowSend
      expect(late.status).toBe(201)
      expect(late.body.message.position).toBeGreaterThan(quick.body.message.position)
      expect((await readStream(officer, before.cursor)).ids).toEqual([late.body.message.id])
    })

    it('makes writers in the same conversation take turns, numbered in commit order', async () => {
      const { officer, people } = await world(1)
      const { caller, conversationId } = people[0]!
      const stall = stallInsideTransaction(new Set([conversationId]))
      const first = caller.post('/api/ask/messages', { clientKey: key(), body: 'Trước' })
      await stall.inside
      const secondSend = officer.post(`/api/conversations/${conversationId}/messages`, {
        clientKey: key(),
        body: 'Sau',
      })
      const waited = await Promise.race([secondSend.then(() => 'answered'), sleep(500).then(() => 'waiting')])
      expect(waited).toBe('waiting')
      stall.release()
      const [a, b] = [await first, await secondSend]
      expect([a.status, b.status]).toEqual([201, 201])
      expect(b.body.message.seq).toBe(a.body.message.seq + 1)
      expect(b.body.message.position).toBeGreaterThan(a.body.message.position)
    })
  })
})
