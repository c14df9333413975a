import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { withDatabase } from './global-setup'
import { signInResidentOverHttp, signInStaffOverHttp } from './http-sign-in'
import { outboxSender } from './outbox-sender'
import { withAdminClient } from './postgres-admin'
import { freePort, type ServerProcess, startServer } from './process-harness'
import { ResumingClient } from './resuming-client'

/**
 * kill -9 of the real server (npx tsx server/main.ts on demo data) while residents send, an
 * officer answers and five WebSocket clients are connected and subscribed. After a restart on the
 * same data every client reconnects and resumes as the web app does (socket, rooms, then
 * GET /api/sync from its cursor), and each has received every acknowledged message it may read:
 * nothing missed, nothing stored twice, nothing shown to a client that may not read it.
 */
const postgresUrl = process.env.DATABASE_URL
const dataDir = mkdtempSync(join(tmpdir(), 'nhipcau-kill9-ws-'))
const database = `nhipcau_kill9ws_${process.pid}_${Math.random().toString(36).slice(2, 6)}`
const env: Record<string, string> = {
  DATA_DIR: dataDir,
  SEED_DEMO: 'true',
  SMS_PROVIDER: 'console',
  ...(postgresUrl ? { DATABASE_URL: withDatabase(postgresUrl, database) } : {}),
}
const running: ServerProcess[] = []
const clients: ResumingClient[] = []

afterAll(async () => {
  for (const c of clients) c.stop()
  for (const s of running) s.child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
  if (postgresUrl)
    await withAdminClient(postgresUrl, (c) => c.query(`drop database if exists "${database}" with (force)`))
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function start(port: number) {
  const server = startServer('server/main.ts', port, env)
  running.push(server)
  await server.ready(180_000)
  return server
}

describe('WebSocket clients across a kill -9', () => {
  it('every client resumes after the restart and has every acknowledged message it may read, once', async () => {
    if (postgresUrl) await withAdminClient(postgresUrl, (c) => c.query(`create database "${database}"`))
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const first = await start(port)

    // Three residents (two in the first area, one in the second), the first area's officer, the commander.
    const residents = await Promise.all(
      ['+84987000001', '+84987000002', '+84987000003'].map((p) => signInResidentOverHttp(base, p)),
    )
    const conversationIds: string[] = []
    for (const headers of residents) {
      const res = await fetch(`${base}/api/ask`, { method: 'POST', headers, body: '{}' })
      expect(res.status).toBe(200)
      conversationIds.push(((await res.json()) as { conversationId: string }).conversationId)
    }
    const officer = await signInStaffOverHttp(base, 'canbo1')
    const commander = await signInStaffOverHttp(base, 'chihuy')
    const readable = async (headers: Record<string, string>) => {
      const ok: string[] = []
      for (const id of conversationIds) {
        const res = await fetch(`${base}/api/conversations/${id}`, { headers })
        await res.arrayBuffer()
        if (res.status === 200) ok.push(id)
      }
      return ok
    }
    const officerConversations = await readable(officer)
    expect(officerConversations.length).toBeGreaterThan(0)
    const visible: Record<string, string[]> = {
      'resident 1': [conversationIds[0]!],
      'resident 2': [conversationIds[1]!],
      'resident 3': [conversationIds[2]!],
      officer: officerConversations,
      commander: await readable(commander),
    }
    expect(visible.commander).toEqual(conversationIds)
    const who = [...residents, officer, commander]
    for (const [i, name] of Object.keys(visible).entries()) {
      const rooms = visible[name]!.map((id) => `conversation:${id}`)
      clients.push(new ResumingClient(name, base, who[i]!, rooms))
    }
    await Promise.all(clients.map((c) => c.start()))

    const senders = [
      ...residents.map((headers, i) =>
        outboxSender(`${base}/api/ask/messages`, headers, conversationIds[i]!, { keyPrefix: 'k9-' }),
      ),
      ...officerConversations.map((id) =>
        outboxSender(`${base}/api/conversations/${id}/messages`, officer, id, { keyPrefix: 'k9-' }),
      ),
    ]
    const loops = Promise.all(senders.map((s) => s.loop()))
    const all = () => senders.flatMap((s) => s.sent)
    const deadline = Date.now() + 90_000
    while (
      (all().filter((s) => s.acknowledged).length < 120 || clients.some((c) => !c.liveByConnection[0])) &&
      Date.now() < deadline
    )
      await sleep(10)
    const resumes = clients.map((c) => c.nextResume())
    first.child.kill('SIGKILL')
    const killedAt = Date.now()
    await loops
    for (const s of senders) s.stop()
    expect(await first.exited).toBe('SIGKILL')
    const acknowledgedBeforeKill = all().filter((s) => s.acknowledged).length
    const unansweredAtKill = all().filter((s) => !s.acknowledged).length
    expect(acknowledgedBeforeKill).toBeGreaterThanOrEqual(120)
    expect(unansweredAtKill).toBeGreaterThan(0) // requests were in flight: the kill landed mid-traffic
    expect(clients.every((c) => c.liveByConnection[0]! > 0)).toBe(true)

    const restartedAt = Date.now()
    await start(port)
    const readyAt = Date.now()
    await Promise.all(resumes)
    const resumedMs = Math.max(...clients.map((c) => c.resumedAt)) - readyAt
    // The outbox sends what was never answered; then everyone goes on, and it arrives live.
    await Promise.all(senders.map((s) => s.retryUnanswered()))
    await Promise.all(senders.map((s) => s.sendMore(5)))
    const sent = all()
    expect(sent.filter((s) => !s.acknowledged)).toEqual([])

    const expected = (c: ResumingClient) =>
      sent.filter((s) => visible[c.name]!.includes(s.conversationId)).map((s) => s.key)
    const missing = () =>
      Object.fromEntries(clients.map((c) => [c.name, expected(c).filter((k) => !c.received.has(k))]))
    const settleBy = Date.now() + 20_000
    while (Object.values(missing()).some((m) => m.length) && Date.now() < settleBy) await sleep(50)
    expect(missing()).toEqual(Object.fromEntries(clients.map((c) => [c.name, []])))
    for (const c of clients) {
      expect(c.connections, c.name).toBe(2)
      expect(c.liveByConnection[1], `${c.name}: live events after the resume`).toBeGreaterThan(0)
      // Nothing it may not read: a resident sees only their own conversation.
      const allowed = new Set(expected(c))
      expect(
        [...c.received.keys()].filter((k) => !allowed.has(k) && k.startsWith('k9-')),
        c.name,
      ).toEqual([])
    }

    // Stored exactly once each: the commander reads everything from the start of the stream.
    const stored: string[] = []
    for (let after = 0; ; ) {
      const res = await fetch(`${base}/api/sync?after=${after}`, { headers: { cookie: commander.cookie! } })
      const page = (await res.json()) as {
        messages: { clientKey: string | null }[]
        cursor: number
        hasMore: boolean
      }
      stored.push(...page.messages.flatMap((m) => (m.clientKey?.startsWith('k9-') ? [m.clientKey] : [])))
      after = page.cursor
      if (!page.hasMore) break
    }
    expect(stored.length).toBe(new Set(stored).size)
    expect(new Set(stored)).toEqual(new Set(sent.map((s) => s.key)))

    const viaSync = clients.map(
      (c) => `${c.name} ${[...c.received.values()].filter((v) => v === 'sync').length}`,
    )
    console.info(
      `kill -9 with ${clients.length} WebSocket clients: ${acknowledgedBeforeKill} acknowledged before the kill, ` +
        `${unansweredAtKill} in flight (retried after), ${sent.length} sent in all, ${stored.length} stored once each; ` +
        `restart to ready ${readyAt - restartedAt} ms (kill to restart ${restartedAt - killedAt} ms), ` +
        `every client resumed ${resumedMs} ms after ready; recovered by the resume sync: ${viaSync.join(', ')}`,
    )
  }, 600_000)
})
