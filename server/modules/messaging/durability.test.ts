import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { withDatabase } from '../../test/global-setup'
import { withAdminClient } from '../../test/postgres-admin'
import { freePort, type ServerProcess, startServer } from '../../test/process-harness'

/**
 * kill -9 the real server (npx tsx server/main.ts on demo data) while a resident's phone is sending:
 * after a restart on the same data, every message the server acknowledged is there exactly once,
 * a retry of the unanswered ones with the same keys adds each at most once, and a client that
 * resumes from its cursor gets them all, in order.
 */
const postgresUrl = process.env.DATABASE_URL
const dataDir = mkdtempSync(join(tmpdir(), 'nhipcau-msg-durability-'))
const database = `nhipcau_msgdur_${process.pid}_${Math.random().toString(36).slice(2, 6)}`
const env: Record<string, string> = {
  DATA_DIR: dataDir,
  SEED_DEMO: 'true',
  SMS_PROVIDER: 'console',
  ...(postgresUrl ? { DATABASE_URL: withDatabase(postgresUrl, database) } : {}),
}
const running: ServerProcess[] = []

afterAll(async () => {
  for (const s of running) s.child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
  if (postgresUrl)
    await withAdminClient(postgresUrl, (c) => c.query(`drop database if exists "${database}" with (force)`))
})

async function start(port: number) {
  const server = startServer('server/main.ts', port, env)
  running.push(server)
  await server.ready(120_000)
  return server
}

/** Signs the demo resident in with a one-time code, as the browser does; returns the session headers. */
async function signInResident(base: string): Promise<Record<string, string>> {
  const phone = '+84987000001'
  const asked = await fetch(`${base}/api/auth/otp/request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  })
  expect(asked.status).toBe(202)
  const otp = (await (await fetch(`${base}/api/dev/last-otp?phone=${encodeURIComponent(phone)}`)).json()) as {
    code: string
  }
  const verified = await fetch(`${base}/api/auth/otp/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, code: otp.code }),
  })
  expect(verified.status).toBe(200)
  const cookies = verified.headers.getSetCookie().map((c) => c.split(';')[0]!)
  const csrf = cookies.find((c) => c.startsWith('nhipcau_csrf='))?.split('=')[1] ?? ''
  return {
    cookie: cookies.join('; '),
    'x-csrf-token': decodeURIComponent(csrf),
    'content-type': 'application/json',
  }
}

interface Sent {
  key: string
  body: string
  acknowledged: boolean
}

/** Several tabs sending at once until the server disappears; records which sends got a 2xx. */
function burst(base: string, headers: Record<string, string>, clients = 6) {
  const sent: Sent[] = []
  const loops = Array.from({ length: clients }, async () => {
    for (;;) {
      const item: Sent = {
        key: `dur-${randomUUID()}`,
        body: `Tin nhắn số ${sent.length + 1}`,
        acknowledged: false,
      }
      sent.push(item)
      try {
        const res = await fetch(`${base}/api/ask/messages`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ clientKey: item.key, body: item.body }),
        })
        item.acknowledged = res.status === 201 || res.status === 200
        await res.arrayBuffer()
        if (!item.acknowledged) return
      } catch {
        return
      }
    }
  })
  return { sent, done: Promise.all(loops) }
}

async function allMessages(base: string, headers: Record<string, string>, conversationId: string) {
  const all: { id: string; clientKey: string | null; seq: number }[] = []
  let before: number | undefined
  for (;;) {
    const res = await fetch(
      `${base}/api/conversations/${conversationId}/messages?limit=200${before ? `&beforeSeq=${before}` : ''}`,
      { headers },
    )
    const page = (await res.json()) as { messages: typeof all; hasMore: boolean }
    all.unshift(...page.messages)
    if (!page.hasMore || !page.messages.length) return all
    before = page.messages[0]!.seq
  }
}

describe('messages survive kill -9', () => {
  it('keeps every acknowledged message exactly once across a crash, and retries never duplicate', async () => {
    if (postgresUrl) await withAdminClient(postgresUrl, (c) => c.query(`create database "${database}"`))
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const first = await start(port)
    const headers = await signInResident(base)
    const cursor = ((await (await fetch(`${base}/api/sync`, { headers })).json()) as { cursor: number })
      .cursor

    const b = burst(base, headers)
    const deadline = Date.now() + 60_000
    while (b.sent.filter((s) => s.acknowledged).length < 150 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5))
    first.child.kill('SIGKILL')
    await b.done
    expect(await first.exited).toBe('SIGKILL')
    const acknowledged = b.sent.filter((s) => s.acknowledged)
    const unanswered = b.sent.filter((s) => !s.acknowledged)
    expect(acknowledged.length).toBeGreaterThanOrEqual(150)
    expect(unanswered.length).toBeGreaterThan(0) // requests were in flight: the kill landed mid-burst

    await start(port)
    // The session survives the restart: it lives in the database, its secret in the data folder.
    const ask = (await (await fetch(`${base}/api/ask`, { headers })).json()) as {
      conversation: { id: string }
    }
    const conversationId = ask.conversation.id
    const stored = await allMessages(base, headers, conversationId)
    const count = (k: string) => stored.filter((m) => m.clientKey === k).length
    expect(acknowledged.filter((s) => count(s.key) !== 1).map((s) => s.key)).toEqual([])
    expect(unanswered.every((s) => count(s.key) <= 1)).toBe(true)
    expect(new Set(stored.map((m) => m.seq)).size).toBe(stored.length)

    // The phone's send queue retries what it never saw answered, with the same keys.
    for (const s of [...unanswered, ...acknowledged.slice(0, 5)]) {
      const res = await fetch(`${base}/api/ask/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ clientKey: s.key, body: s.body }),
      })
      expect([200, 201]).toContain(res.status)
    }
    const afterRetry = await allMessages(base, headers, conversationId)
    expect(b.sent.filter((s) => afterRetry.filter((m) => m.clientKey === s.key).length !== 1)).toEqual([])

    // A client that was connected before the crash resumes from its cursor and misses nothing.
    const seen: string[] = []
    let after = cursor
    for (;;) {
      const page = (await (await fetch(`${base}/api/sync?after=${after}`, { headers })).json()) as {
        messages: { clientKey: string }[]
        cursor: number
        hasMore: boolean
      }
      seen.push(...page.messages.map((m) => m.clientKey))
      after = page.cursor
      if (!page.hasMore) break
    }
    expect(seen).toEqual(afterRetry.map((m) => m.clientKey))
  }, 300_000)
})
