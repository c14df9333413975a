// A listening socket held open across server restarts by a process of its own, as systemd's
// socket unit holds it in production (deploy/systemd/nhipcau.socket): bench:reconnect restarts the
// server the way a deployment with the unit restarts, and a slow test proves the property. This
// process binds the socket, hands it to the holder as its descriptor 3 and closes its own copy, so
// that only the servers the holder starts ever accept on it.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'

const holderScript = new URL('./socket-holder-process.mjs', import.meta.url)

/**
 * Binds host:port (port 0: any free port) and starts the holder. Returns the port and `start`,
 * which runs `argv` (the server's command) on the socket and resolves to a handle of that server:
 * `pid`, `kill(signal)` and `exited` (a promise of its exit).
 */
export async function holdListeningSocket({ host = '127.0.0.1', port = 0, backlog = 8192 } = {}) {
  const listener = createServer()
  listener.listen({ host, port, backlog })
  await once(listener, 'listening')
  const boundPort = listener.address().port
  const holder = fork(holderScript, [], {
    stdio: ['ignore', 'inherit', 'inherit', listener._handle.fd, 'ipc'],
  })
  await once(holder, 'spawn')
  await new Promise((resolve) => listener.close(resolve))

  const exits = new Map()
  const waiting = new Map()
  let nextId = 0
  holder.on('message', (m) => {
    if (m.started !== undefined) waiting.get(m.started)?.(m.pid)
    if (m.exited !== undefined) exits.get(m.exited)?.({ code: m.code, signal: m.signal })
  })

  return {
    port: boundPort,
    async start(argv, { env = process.env, cwd = process.cwd() } = {}) {
      const id = nextId++
      const started = new Promise((resolve) => waiting.set(id, resolve))
      holder.send({ cmd: 'start', id, argv, env, cwd })
      const pid = await started
      waiting.delete(id)
      const exited = new Promise((resolve) => exits.set(pid, resolve))
      return {
        pid,
        exited,
        kill: (signal = 'SIGTERM') => holder.send({ cmd: 'kill', pid, signal }),
      }
    },
    /** Stops the holder (and any server it runs): the socket closes. */
    async close() {
      if (holder.exitCode !== null || holder.signalCode !== null) return
      holder.disconnect()
      await once(holder, 'exit')
    },
  }
}
