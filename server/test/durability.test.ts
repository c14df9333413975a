import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/client'
import { queryRows } from '../db/query'
import { withDatabase } from './global-setup'
import { withAdminClient } from './postgres-admin'
import { freePort, startServer } from './process-harness'

// Each run proves the backend it targets: `npm test` the embedded folder, `npm run test:pg` PostgreSQL.
const postgresUrl = process.env.DATABASE_URL
const harness = 'server/test/durability-server.ts'

/** Many clients writing at once; each loop stops at its first network error (the server is gone). */
function writeBurst(port: number, clients = 16) {
  const acknowledged: number[] = []
  let next = 0
  const loops = Array.from({ length: clients }, async () => {
    for (;;) {
      const n = next++
      try {
        const res = await fetch(`http://127.0.0.1:${port}/durability/writes/${n}`, { method: 'POST' })
        if (res.status === 201) acknowledged.push(n)
        else await res.arrayBuffer()
      } catch {
        return
      }
    }
  })
  return { acknowledged, sent: () => next, done: Promise.all(loops) }
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** kill -9 in the middle of a burst of writes, restart on the same data: every 2xx write is there. */
async function killDuringBurstAndRestart(env: Record<string, string>) {
  const port = await freePort()
  const first = startServer(harness, port, env)
  await first.ready()
  const burst = writeBurst(port)
  await until(() => burst.acknowledged.length >= 300)
  first.child.kill('SIGKILL')
  await burst.done
  expect(await first.exited).toBe('SIGKILL')
  const acknowledged = [...burst.acknowledged]
  // Requests were still in flight when it died: the kill did land mid-burst.
  expect(burst.sent()).toBeGreaterThan(acknowledged.length)

  const second = startServer(harness, port, env)
  await second.ready()
  const stored: number[] = await (await fetch(`http://127.0.0.1:${port}/durability/writes`)).json()
  const storedSet = new Set(stored)
  expect(acknowledged.filter((n) => !storedSet.has(n))).toEqual([])
  second.child.kill('SIGTERM')
  expect(await second.exited).toBe(0)
  return { acknowledged, stored }
}

// Folders are made in beforeAll: a skipped suite's body still runs, but its hooks do not.
describe.skipIf(!!postgresUrl)('the embedded database folder', () => {
  let dataDir = ''
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'nc-durability-'))
  })
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('refuses a second server on the same folder with one clear line, and frees it on SIGTERM', async () => {
    const [port1, port2] = [await freePort(), await freePort()]
    const first = startServer('scripts/start.mjs', port1, { DATA_DIR: dataDir })
    await first.ready()

    const second = startServer('scripts/start.mjs', port2, { DATA_DIR: dataDir })
    expect(await second.exited).toBe(78)
    const lines = second.output().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^nhipcau: The data folder .+ is already in use by another NhipCau process \(pid \d+/,
    )

    expect((await fetch(`http://127.0.0.1:${port1}/readyz`)).status).toBe(200)
    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(existsSync(join(dataDir, 'nhipcau.lock'))).toBe(false)
  }, 300_000)

  it('keeps every acknowledged write through kill -9 and opens intact after it and after a clean shutdown', async () => {
    const { acknowledged } = await killDuringBurstAndRestart({ DATA_DIR: dataDir })

    const handle = await openDatabase({ dataDir })
    try {
      const [counts] = await queryRows<{ demo_wards: number; writes: number }>(
        handle.db,
        sql`select count(*) filter (where slug = 'phuong-hai-ba-trung')::int as demo_wards,
                   count(*) filter (where slug like 'durability-%')::int as writes from units`,
      )
      expect(counts?.demo_wards).toBe(1)
      expect(counts?.writes).toBeGreaterThanOrEqual(acknowledged.length)
    } finally {
      await handle.close()
    }
  }, 400_000)
})

describe.runIf(!!postgresUrl)('PostgreSQL', () => {
  const database = `nhipcau_durability_${process.pid}`
  let dataDir = ''
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'nc-durability-'))
  })
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true })
    await withAdminClient(postgresUrl!, (c) => c.query(`drop database if exists "${database}" with (force)`))
  })

  it('keeps every acknowledged write through kill -9 of the server', async () => {
    await withAdminClient(postgresUrl!, (c) => c.query(`create database "${database}"`))
    await killDuringBurstAndRestart({ DATA_DIR: dataDir, DATABASE_URL: withDatabase(postgresUrl!, database) })
  }, 400_000)
})
