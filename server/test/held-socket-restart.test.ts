import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs module of the scripts, without type declarations
import { holdListeningSocket } from '../../scripts/lib/held-socket.mjs'
import { LISTEN_BACKLOG } from '../lib/listen-socket'
import { withDatabase } from './global-setup'
import { withAdminClient } from './postgres-admin'
import { freePort, repoRoot, serverProcessEnv } from './process-harness'

/**
 * The server on a listening socket held across its restarts, as deploy/systemd/nhipcau.socket holds
 * it in production: `npm start` (the bundle) takes the socket it is handed instead of binding PORT,
 * keeps the socket's long queue, and after a kill -9 a request made while no server runs waits and is
 * answered by the next process instead of being refused.
 */
interface Server {
  pid: number
  kill(signal: string): void
  exited: Promise<{ code: number | null; signal: string | null }>
}
const postgresUrl = process.env.DATABASE_URL
const dataDir = mkdtempSync(join(tmpdir(), 'nhipcau-held-socket-'))
const database = `nhipcau_held_socket_${process.pid}_${Math.random().toString(36).slice(2, 6)}`
const running: Server[] = []
let held: { port: number; start(argv: string[], o: object): Promise<Server>; close(): Promise<void> }

afterAll(async () => {
  for (const s of running) s.kill('SIGKILL')
  await held?.close()
  rmSync(dataDir, { recursive: true, force: true })
  if (postgresUrl)
    await withAdminClient(postgresUrl, (c) => c.query(`drop database if exists "${database}" with (force)`))
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The longest accept queue the kernel gives the socket on `port` (ss's Send-Q of a listener). */
const queueLimitOf = (port: number) =>
  Number(
    execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)[2],
  )

describe('npm start on a socket held across restarts (systemd socket activation)', () => {
  it('serves on the handed socket with its long queue, and answers a request made while it was down', async () => {
    if (postgresUrl) await withAdminClient(postgresUrl, (c) => c.query(`create database "${database}"`))
    held = await holdListeningSocket()
    const boundPort = await freePort()
    // PORT names another free port: the server must take the held socket, not bind PORT.
    const env = serverProcessEnv(boundPort, {
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      ...(postgresUrl ? { DATABASE_URL: withDatabase(postgresUrl, database) } : {}),
    })
    const start = async () => {
      const server = await held.start([process.execPath, 'scripts/start.mjs'], { env, cwd: repoRoot })
      running.push(server)
      return server
    }
    const readyz = (signal?: AbortSignal) => fetch(`http://127.0.0.1:${held.port}/readyz`, { signal })

    const first = await start()
    for (let i = 0; (await readyz(AbortSignal.timeout(2000)).catch(() => null))?.status !== 200; i++) {
      expect(i, 'the first server never answered on the held socket').toBeLessThan(1800)
      await sleep(100)
    }
    // It took the socket instead of binding PORT, and Node's re-listen kept the socket's queue.
    await expect(fetch(`http://127.0.0.1:${boundPort}/readyz`)).rejects.toThrow()
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'))
    expect(queueLimitOf(held.port)).toBe(Math.min(LISTEN_BACKLOG, somaxconn))

    first.kill('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')
    const whileDown = readyz()
    const refused = await Promise.race([
      whileDown.then(
        () => 'answered',
        () => 'refused',
      ),
      sleep(1000),
    ])
    expect(refused, 'nothing runs: the request must wait in the queue').toBeUndefined()

    const second = await start()
    const answer = await whileDown
    expect(answer.status).toBe(200)
    expect(((await answer.json()) as { status: string }).status).toBe('ready')
    second.kill('SIGTERM')
    expect(await second.exited).toEqual({ code: 0, signal: null })
  }, 240_000)
})
