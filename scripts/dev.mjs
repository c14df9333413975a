// `npm run dev`: the API server restarting on every server change (tsx watch) and the Vite dev
// server with hot reload for the web app. Open the Vite address; it proxies /api, /ws and the
// health checks to the API server on port 3000 (see vite.config.ts).
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bin = (path) => join(root, 'node_modules', path)

if (process.env.PORT && process.env.PORT !== '3000') {
  process.stderr.write(
    'nhipcau dev: the Vite proxy expects the API on port 3000; PORT is ignored in dev mode\n',
  )
}

process.stdout.write(
  'nhipcau dev: open the Vite address printed below (hot reload); the API runs on port 3000\n',
)

const children = [
  spawn(process.execPath, [bin('tsx/dist/cli.mjs'), 'watch', '--clear-screen=false', 'server/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: '3000' },
  }),
  spawn(process.execPath, [bin('vite/bin/vite.js'), '--clearScreen', 'false'], {
    cwd: root,
    stdio: 'inherit',
  }),
]

let stopping = false
function stopAll(signal) {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill(signal)
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll('SIGTERM'))

let remaining = children.length
let firstCode = 0
for (const child of children) {
  child.on('exit', (code) => {
    // One side stopping (a bad setting, a crash) stops the other: a half-running dev setup misleads.
    if (!stopping && code !== 0) firstCode = code ?? 1
    stopAll('SIGTERM')
    if (--remaining === 0) process.exit(firstCode)
  })
}
