import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLOSE_CODES } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withDatabase } from '../test/global-setup'
import { signInResidentOverHttp } from '../test/http-sign-in'
import { withAdminClient } from '../test/postgres-admin'
import { freePort, type ServerProcess, startServer } from '../test/process-harness'
import { openTestSocket } from '../test/ws-client'

/**
 * Two app processes behind one PostgreSQL and one Redis, as behind a load balancer: a message sent
 * through instance A reaches a WebSocket client connected to instance B. Needs both servers, so it
 * runs in `npm run test:pg` with TEST_REDIS_URL set (CI does both).
 */
const postgresUrl = process.env.DATABASE_URL
const redisUrl = process.env.TEST_REDIS_URL
const database = `nhipcau_two_${process.pid}_${Math.random().toString(36).slice(2, 6)}`
const dirs: string[] = []
const running: ServerProcess[] = []

afterAll(async () => {
  for (const s of running) s.child.kill('SIGKILL')
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  if (postgresUrl)
    await withAdminClient(postgresUrl, (c) => c.query(`drop database if exists "${database}" with (force)`))
})

async function instance(seed: boolean): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nhipcau-two-'))
  dirs.push(dataDir)
  const port = await freePort()
  const server = startServer('server/main.ts', port, {
    DATA_DIR: dataDir,
    DATABASE_URL: withDatabase(postgresUrl!, database),
    REDIS_URL: redisUrl!,
    // Every instance must share the secret, or a session made on one is refused by the other.
    SESSION_SECRET: 'two-instances-secret-two-instances-secret',
    SEED_DEMO: String(seed),
  })
  running.push(server)
  await server.ready(240_000)
  return `http://127.0.0.1:${port}`
}

describe.runIf(postgresUrl && redisUrl)('two app instances on one PostgreSQL and Redis', () => {
  let a: string
  let b: string
  beforeAll(async () => {
    await withAdminClient(postgresUrl!, (c) => c.query(`create database "${database}"`))
    a = await instance(true)
    b = await instance(false)
  }, 600_000)

  it('delivers a message sent through instance A to a WebSocket client of instance B', async () => {
    const headers = await signInResidentOverHttp(a)
    const socket = await openTestSocket(`${b.replace('http', 'ws')}/ws`, headers.cookie)

    const body = `Gửi qua máy A, nhận ở máy B ${randomUUID()}`
    const sent = await fetch(`${a}/api/ask/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ clientKey: `two-${randomUUID()}`, body }),
    })
    expect(sent.status).toBe(201)
    await socket.nextEvent((e) => e.type === 'message.created' && e.message.body === body)
    socket.ws.close()
  })

  it('evicts on instance B what changed through instance A: a room on a move, the socket on sign-out', async () => {
    const headers = await signInResidentOverHttp(a, '+84987000002')
    const me = (await (await fetch(`${a}/api/me`, { headers })).json()) as { area: { id: string } | null }
    expect(me.area).not.toBeNull()
    const socket = await openTestSocket(`${b.replace('http', 'ws')}/ws`, headers.cookie)
    expect((await socket.subscribe([`area:${me.area!.id}`])).denied).toEqual([])

    const moved = await fetch(`${a}/api/me`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ areaId: null }),
    })
    expect(moved.status).toBe(200)
    expect(await socket.next((m) => m.type === 'evicted')).toEqual({
      type: 'evicted',
      rooms: [`area:${me.area!.id}`],
    })

    const out = await fetch(`${a}/api/auth/sign-out`, { method: 'POST', headers, body: '{}' })
    expect(out.status).toBe(204)
    expect(await socket.closed).toBe(CLOSE_CODES.sessionEnded)
  })
})
