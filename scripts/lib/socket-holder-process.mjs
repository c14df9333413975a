// The process that holds a listening socket on its file descriptor 3 (see held-socket.mjs), as
// systemd's socket unit does, and starts the server on it when asked over its IPC channel. It never
// accepts a connection itself: Node opens no handle for a descriptor it was merely given.
import { spawn } from 'node:child_process'

const servers = new Map()

process.on('message', (m) => {
  if (m.cmd === 'start') {
    // LISTEN_PID must be the server's own pid, known only once it runs: the shell exports its own
    // and execs the server in its place.
    const env = { ...m.env, LISTEN_FDS: '1' }
    delete env.NODE_CHANNEL_FD
    delete env.NODE_CHANNEL_SERIALIZATION_MODE
    const child = spawn('/bin/sh', ['-c', 'LISTEN_PID=$$ exec "$@"', 'sh', ...m.argv], {
      cwd: m.cwd,
      env,
      stdio: ['ignore', 'inherit', 'inherit', 3],
    })
    servers.set(child.pid, child)
    child.on('exit', (code, signal) => {
      servers.delete(child.pid)
      process.send({ exited: child.pid, code, signal })
    })
    process.send({ started: m.id, pid: child.pid })
  } else if (m.cmd === 'kill') {
    servers.get(m.pid)?.kill(m.signal)
  }
})
// The parent gone, nothing is left to serve: stop the servers and let the socket close.
process.on('disconnect', () => {
  for (const child of servers.values()) child.kill('SIGKILL')
  process.exit(0)
})
