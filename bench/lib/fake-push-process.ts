// The fake push service (server/test/fakes/fake-push-service.ts) in its own node process, so that
// decrypting and verifying every push does not share the server's CPU time slice and event loop:
// a real push service is another machine. Driven over the IPC channel of child_process.spawn.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startFakePushService } from '../../server/test/fakes/fake-push-service'

export interface FakePushStats {
  accepted: number
  /** Devices that received at least one push. */
  devices: number
  /** Pushes beyond the first to a device: each one a device buzzing twice. */
  duplicates: number
  errors: number
  connections: number
  requests: number
  maxInFlight: number
  firstAt: number | null
  lastAt: number | null
}

type Device = { endpoint: string; keys: { p256dh: string; auth: string } }

/** Starts the fake push service in a separate node process; resolves once it listens. */
export async function spawnFakePushService() {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let nextId = 0
  const pending = new Map<number, (value: unknown) => void>()
  child.on('message', (m: { id: number; result: unknown }) => pending.get(m.id)?.(m.result))
  const call = <T>(op: string, arg?: unknown) =>
    new Promise<T>((resolve) => {
      const id = nextId++
      pending.set(id, resolve as (v: unknown) => void)
      child.send({ id, op, arg })
    })
  await call('ready')
  return {
    pid: child.pid,
    addDevices: (count: number) => call<Device[]>('addDevices', count),
    stats: () => call<FakePushStats>('stats'),
    close: async () => {
      await call('close')
      child.disconnect()
    },
  }
}

async function runChild() {
  const push = await startFakePushService()
  let devicesMade = 0
  const counts = new Map<string, number>()
  let firstAt: number | null = null
  let lastAt: number | null = null
  let seen = 0
  const ops: Record<string, (arg: unknown) => unknown> = {
    ready: () => true,
    addDevices: (count) => Array.from({ length: Number(count) }, () => push.addDevice(`d${devicesMade++}`)),
    stats: (): FakePushStats => {
      for (; seen < push.received.length; seen++) {
        const path = push.received[seen]!.path
        counts.set(path, (counts.get(path) ?? 0) + 1)
      }
      const accepted = push.received.length
      return {
        accepted,
        devices: counts.size,
        duplicates: accepted - counts.size,
        errors: push.errors.length,
        connections: push.stats.connections,
        requests: push.stats.requests,
        maxInFlight: push.stats.maxInFlight,
        firstAt,
        lastAt,
      }
    },
    close: () => push.close(),
  }
  // When the first and the latest push were accepted, for the rate (checked every 5 ms).
  let lastCount = 0
  setInterval(() => {
    if (push.received.length === lastCount) return
    firstAt ??= Date.now()
    lastAt = Date.now()
    lastCount = push.received.length
  }, 5).unref()
  process.on('message', async (m: { id: number; op: string; arg: unknown }) => {
    const result = await ops[m.op]?.(m.arg)
    process.send?.({ id: m.id, result: result ?? null })
  })
  process.on('disconnect', () => process.exit(0))
}

if (process.argv.includes('--child')) await runChild()
