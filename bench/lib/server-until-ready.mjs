// Starts the server as a child process and waits for /readyz: shared by the benches that time a
// start (bench:cold-start, bench:start-time).
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..', '..')

/** A port nobody listens on right now. */
export const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })

/**
 * Spawns `node ARGV` in the project root with ENV (PORT set to a free port) and polls /readyz every
 * `pollMs` until it answers 200. Returns the child, its port, the seconds from spawn to ready, its
 * output so far (stdout and stderr), and a promise of its exit. Throws when it exits or is not
 * ready within 120 s.
 */
export async function startUntilReady(argv, env, { pollMs = 50 } = {}) {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise((ok) => child.once('exit', ok))
  let readyS = null
  while (readyS === null) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`)
    if (performance.now() - started > 120_000) throw new Error(`not ready after 120 s:\n${output}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200)
        readyS = (performance.now() - started) / 1000
    } catch {}
    if (readyS === null) await new Promise((r) => setTimeout(r, pollMs))
  }
  return { child, port, started, readyS, output: () => output, exited }
}
