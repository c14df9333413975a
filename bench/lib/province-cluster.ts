// The processes of bench/province.ts: app instances (`server/main.ts`, as `npm start` runs it), each
// with its own port, data folder and log file, and the client processes that hold the residents'
// sockets. Every one is a node process of its own, so its memory and CPU are its own in /proc.
import type { ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exited, spawnNode } from './processes'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

export interface Instance {
  name: string
  port: number
  child: ChildProcess
  logFile: string
  base: string
  ready(deadline: number): Promise<boolean>
  /** The instance's /metrics, as name{labels} → value. */
  metrics(): Promise<Record<string, number>>
  logTail(chars?: number): string
}

export function startInstance(
  name: string,
  port: number,
  dir: string,
  env: Record<string, string>,
  fds: number,
): Instance {
  const logFile = join(dir, `${name}.log`)
  const out = openSync(logFile, 'a')
  // A clean environment: no .env file, no settings of the shell the bench runs in.
  const { DATABASE_URL: _d, REDIS_URL: _r, PORT: _p, ...base } = process.env
  const child = spawnNode(['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: {
      ...base,
      DOTENV_CONFIG_PATH: '/dev/null',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: join(dir, `data-${name}`),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      SEED_DEMO: 'false',
      ALLOW_CONSOLE_SMS: '1',
      WEB_DIST_DIR: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', out, out],
    fds,
  })
  closeSync(out)
  const baseUrl = `http://127.0.0.1:${port}`
  const logTail = (chars = 2000) => {
    try {
      return readFileSync(logFile, 'utf8').slice(-chars)
    } catch {
      return ''
    }
  }
  return {
    name,
    port,
    child,
    logFile,
    base: baseUrl,
    logTail,
    async ready(deadline) {
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) return false
        try {
          if ((await fetch(`${baseUrl}/readyz`)).status === 200) return true
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200))
      }
      return false
    },
    async metrics() {
      const res = await fetch(`${baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${env.METRICS_TOKEN}` },
      })
      const figures: Record<string, number> = {}
      for (const line of (await res.text()).split('\n')) {
        if (!line || line.startsWith('#')) continue
        const at = line.lastIndexOf(' ')
        figures[line.slice(0, at)] = Number(line.slice(at + 1))
      }
      return figures
    },
  }
}

export interface ClientProcess {
  child: ChildProcess
  /** Sends a message and resolves with the first answer of the given type. */
  ask<T = Record<string, unknown>>(msg: Record<string, unknown>, answer: string): Promise<T>
  close(): Promise<void>
}

/** Starts bench/lib/province-clients.mjs; resolves once it listens on its IPC channel. */
export async function startClients(fds: number): Promise<ClientProcess> {
  const child = spawnNode([fileURLToPath(new URL('./province-clients.mjs', import.meta.url))], {
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    fds,
  })
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const on = (m: Record<string, unknown>) => {
        if (m.type !== type) return
        child.off('message', on)
        child.off('exit', gone)
        resolve(m)
      }
      const gone = (code: number | null) => reject(new Error(`client process exited (${code})`))
      child.on('message', on)
      child.once('exit', gone)
    })
  await next('started')
  return {
    child,
    ask: <T>(msg: Record<string, unknown>, answer: string) => {
      const reply = next(answer)
      child.send(msg)
      return reply as Promise<T>
    },
    async close() {
      if (child.exitCode !== null) return
      await Promise.race([
        (async () => {
          child.send({ type: 'close' })
          await next('closed').catch(() => undefined)
        })(),
        new Promise((r) => setTimeout(r, 10_000)),
      ])
      child.disconnect()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited(child)
      clearTimeout(timer)
    },
  }
}
