import { like, sql } from 'drizzle-orm'
import type { App } from '../app'
import type { Db } from '../db/client'
import { messages } from '../db/schema/index'
import { signInAs } from './auth-helpers'
import { buildArea, buildOfficer, buildResident, buildWard } from './factories/index'
import { type OutboxSender, outboxSender, type SentItem } from './outbox-sender'
import type { ResumingClient } from './resuming-client'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface LoadWorld {
  /** Each resident's session headers (for fetch) and their conversation with the area's officer. */
  residents: { name: string; headers: Record<string, string>; conversationId: string }[]
  officer: Record<string, string>
}

/**
 * A ward with one area, its officer and `n` residents, each with their conversation opened (as the
 * resident's first visit to /ask does). Sessions are shared by every instance on this database.
 */
export async function buildLoadWorld(app: App, db: Db, base: string, n: number): Promise<LoadWorld> {
  const ward = await buildWard(db)
  const area = await buildArea(db, { parent: ward })
  const { user: officerUser } = await buildOfficer(db, { areas: [area], unit: ward })
  const headersOf = async (user: { id: string; kind: 'resident' | 'staff' }) => ({
    ...(await signInAs(app, user)).headers,
    'content-type': 'application/json',
  })
  const residents: LoadWorld['residents'] = []
  for (let i = 0; i < n; i++) {
    const headers = await headersOf(await buildResident(db, { area }))
    const res = await fetch(`${base}/api/ask`, { method: 'POST', headers, body: '{}' })
    if (res.status !== 200) throw new Error(`POST /api/ask answered ${res.status}`)
    const { conversationId } = (await res.json()) as { conversationId: string }
    residents.push({ name: `resident ${i + 1}`, headers, conversationId })
  }
  return { residents, officer: await headersOf(officerUser) }
}

/** Waits until `done()` or the time is up; says which. */
export async function waitFor(done: () => boolean, ms: number, stepMs = 25): Promise<boolean> {
  const end = Date.now() + ms
  while (!done()) {
    if (Date.now() > end) return false
    await sleep(stepMs)
  }
  return true
}

/**
 * What each client was owed and what it shows: every acknowledged message of the conversations it
 * may read, and nothing else; each sender's messages in the order sent on every connection (a
 * resync may fill a gap later, but the live stream never goes backwards); no live event twice.
 */
export function deliveryReport(
  clients: ResumingClient[],
  visible: Record<string, string[]>,
  senders: OutboxSender[],
) {
  const sent = senders.flatMap((s) => s.sent)
  const owner = new Map<string, { sender: number; index: number }>()
  for (const [sender, s] of senders.entries())
    for (const [index, item] of s.sent.entries()) owner.set(item.key, { sender, index })
  const ours = (key: string) => owner.has(key)
  const expected = (c: ResumingClient) =>
    sent.filter((s) => s.acknowledged && visible[c.name]!.includes(s.conversationId)).map((s) => s.key)
  const missing = () =>
    Object.fromEntries(clients.map((c) => [c.name, expected(c).filter((k) => !c.received.has(k))]))
  const notAllowed = () =>
    Object.fromEntries(
      clients.map((c) => {
        const allowed = new Set(
          sent.filter((s) => visible[c.name]!.includes(s.conversationId)).map((s) => s.key),
        )
        return [c.name, [...c.received.keys()].filter((k) => ours(k) && !allowed.has(k))]
      }),
    )
  const outOfOrder = () =>
    Object.fromEntries(
      clients.map((c) => {
        const last = new Map<string, number>()
        let backwards = 0
        for (const { connection, key } of c.liveLog) {
          const o = owner.get(key)
          if (!o) continue
          const at = `${connection}/${o.sender}`
          if ((last.get(at) ?? -1) > o.index) backwards++
          last.set(at, o.index)
        }
        return [c.name, backwards]
      }),
    )
  // Read when asked, not when the report is made: a test makes it, waits for `complete`, then
  // reads the figures (a snapshot taken before the wait counted the last messages, still on their
  // way to the clients, as missing).
  return {
    get missing() {
      return missing()
    },
    get notAllowed() {
      return notAllowed()
    },
    get outOfOrder() {
      return outOfOrder()
    },
    get redelivered() {
      return Object.fromEntries(clients.map((c) => [c.name, c.liveRedeliveries]))
    },
    complete: () => clients.every((c) => expected(c).every((k) => c.received.has(k))),
  }
}

/** The messages a test stored (by clientKey prefix), and those stored more than once. */
export async function storedMessages(db: Db, keyPrefix: string) {
  const rows = await db
    .select({ clientKey: messages.clientKey, n: sql<number>`count(*)::int` })
    .from(messages)
    .where(like(messages.clientKey, `${keyPrefix}%`))
    .groupBy(messages.clientKey)
  return {
    keys: new Set(rows.map((r) => r.clientKey!)),
    duplicated: rows.filter((r) => r.n > 1).map((r) => r.clientKey!),
  }
}

/** Only the items acknowledged (what a sender may count on). */
export const acknowledged = (items: SentItem[]) => items.filter((s) => s.acknowledged)

/** Who may read what in a load world: the officer every conversation, each resident their own. */
export const visibleIn = (world: LoadWorld): Record<string, string[]> => ({
  officer: world.residents.map((r) => r.conversationId),
  ...Object.fromEntries(world.residents.map((r) => [r.name, [r.conversationId]])),
})

/**
 * One sender a resident (to /api/ask through `residentsVia`) and one a reply by the officer in each
 * conversation (through `officerVia`): every conversation written from both sides at once.
 */
export function bothSidesWriting(
  world: LoadWorld,
  residentsVia: string,
  officerVia: string,
  retry: { keyPrefix: string; retryRefusedMs: number },
): OutboxSender[] {
  return [
    ...world.residents.map((r) =>
      outboxSender(`${residentsVia}/api/ask/messages`, r.headers, r.conversationId, retry),
    ),
    ...world.residents.map((r) =>
      outboxSender(
        `${officerVia}/api/conversations/${r.conversationId}/messages`,
        world.officer,
        r.conversationId,
        retry,
      ),
    ),
  ]
}

/**
 * Stops the loops, sends again what went unanswered and two more each (as a phone coming back
 * does); returns everything sent. Each item must end acknowledged: checked by the caller.
 */
export async function finishWriting(senders: OutboxSender[], loops: Promise<unknown>): Promise<SentItem[]> {
  for (const s of senders) s.stop()
  await loops
  await Promise.all(senders.map((s) => s.retryUnanswered()))
  await Promise.all(senders.map((s) => s.sendMore(2)))
  return senders.flatMap((s) => s.sent)
}

/** How many messages each client got from a resync rather than live (for the test's summary line). */
export const recoveredBySync = (clients: ResumingClient[]) =>
  clients.map((c) => `${c.name} ${[...c.received.values()].filter((v) => v === 'sync').length}`).join(', ')
