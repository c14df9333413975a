import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

export const repoRoot = resolve(import.meta.dirname, '../..')

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => ok(port))
    })
  })
}

export interface ServerProcess {
  child: ChildProcess
  port: number
  output(): string
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>
  /** Polls /readyz until it answers 200; rejects with the process output if it exits or times out. */
  ready(timeoutMs?: number): Promise<void>
}

/**
 * A server process's environment: `env` on top of a clean one (no .env file, no DATABASE_URL or
 * REDIS_URL unless given), listening on 127.0.0.1:`port`.
 */
export function serverProcessEnv(port: number, env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, REDIS_URL: _redis, ...base } = process.env
  return {
    ...base,
    DOTENV_CONFIG_PATH: '/dev/null',
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    SKIP_WEB_BUILD: '1',
    ...env,
  }
}

/**
 * Runs a server entry point (`scripts/start.mjs`, or a .ts file through tsx) as its own process with
 * the given environment on top of a clean one (serverProcessEnv).
 */
export function startServer(entry: string, port: number, env: Record<string, string>): ServerProcess {
  const args = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry]
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: serverProcessEnv(port, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  child.stderr?.on('data', (d) => {
    out += d
  })
  const exited = new Promise<number | string>((ok) =>
    child.once('exit', (code, signal) => ok(code ?? signal ?? -1)),
  )
  let hasExited = false
  void exited.then(() => {
    hasExited = true
  })
  return {
    child,
    port,
    output: () => out,
    exited,
    async ready(timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        if (hasExited) throw new Error(`the server exited before it was ready:\n${out}`)
        try {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`)
          if (res.status === 200) return
        } catch {
          // Not listening yet.
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      child.kill('SIGKILL')
      throw new Error(`the server was not ready within ${timeoutMs} ms:\n${out}`)
    },
  }
}
