import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TServerMessage } from '@common/events'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { withDatabase } from '../test/global-setup'
import { signInResidentOverHttp } from '../test/http-sign-in'
import { withAdminClient } from '../test/postgres-admin'
import { freePort, type ServerProcess, startServer } from '../test/process-harness'

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
  await server.ready(120_000)
  return `http://127.0.0.1:${port}`
}

describe.runIf(postgresUrl && redisUrl)('two app instances on one PostgreSQL and Redis', () => {
  it('delivers a message sent through instance A to a WebSocket client of instance B', async () => {
    await withAdminClient(postgresUrl!, (c) => c.query(`create database "${database}"`))
    const a = await instance(true)
    const b = await instance(false)
    const headers = await signInResidentOverHttp(a)

    const ws = new WebSocket(`${b.replace('http', 'ws')}/ws`, { headers: { cookie: headers.cookie! } })
    const frames: TServerMessage[] = []
    ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())))
    await new Promise((ok, fail) => {
      ws.once('open', ok)
      ws.once('error', fail)
    })
    await expect.poll(() => frames.some((f) => f.type === 'hello')).toBe(true)

    const body = `Gửi qua máy A, nhận ở máy B ${randomUUID()}`
    const sent = await fetch(`${a}/api/ask/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ clientKey: `two-${randomUUID()}`, body }),
    })
    expect(sent.status).toBe(201)
    await expect
      .poll(
        () =>
          frames.some(
            (f) => f.type === 'event' && f.event.type === 'message.created' && f.event.message.body === body,
          ),
        {
          timeout: 15_000,
        },
      )
      .toBe(true)
    ws.close()
  })
})
