// The fake push service (server/test/fakes/fake-push-service.ts) in its own node process, so that
// its work does not share the server's event loop: a real push service is another machine. Driven
// over the IPC channel of child_process.spawn. Like a real push service it verifies each VAPID token
// once and checks every request's headers and body shape; it decrypts a sample (the first 100, then
// 1 in 50: BENCH_PUSH_DECRYPT="first/every", or "all").
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type FakePushOptions, startFakePushService } from '../../server/test/fakes/fake-push-service'

export interface FakePushStats {
  accepted: number
  /** Devices that received at least one push. */
  devices: number
  /**
   * Pushes beyond the first to a device with a Topic that device had already been sent: the push
   * service replaces the earlier message, or the service worker shows it under the same tag in place
   * of the first (no second buzz). Counted, not hidden.
   */
  replaced: number
  /** Pushes beyond the first to a device that are not a replacement: each one a device buzzing twice. */
  duplicates: number
  /** Pushes decrypted with the device's keys (all valid, or they would be errors). */
  decrypted: number
  /** Distinct VAPID tokens verified (each once). */
  vapidTokensVerified: number
  /** Which pushes were decrypted: "all" or "first N, then 1 in M". */
  decryptSample: string
  errors: number
  connections: number
  requests: number
  maxInFlight: number
  firstAt: number | null
  lastAt: number | null
}

type Device = { endpoint: string; keys: { p256dh: string; auth: string } }

/** Starts the fake push service in a separate node process; resolves once it listens. */
export async function spawnFakePushService(opts: { decrypt?: string; nodeArgs?: string[] } = {}) {
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), '--import', 'tsx', fileURLToPath(import.meta.url), '--child'],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, FAKE_PUSH_DECRYPT: opts.decrypt ?? process.env.BENCH_PUSH_DECRYPT ?? '100/50' },
    },
  )
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

/** "all", or "first/every" (e.g. "100/50": the first 100, then one in 50). */
function parseDecrypt(value: string): NonNullable<FakePushOptions['decrypt']> {
  if (value === 'all') return 'all'
  const [first, every] = value.split('/').map(Number)
  if (!Number.isInteger(first) || !Number.isInteger(every) || every! < 1)
    throw new Error(`BENCH_PUSH_DECRYPT must be "all" or "first/every", not ${value}`)
  return { first: first!, every: every! }
}

async function runChild() {
  const decrypt = parseDecrypt(process.env.FAKE_PUSH_DECRYPT ?? '100/50')
  /** Per device (endpoint path): the Topics it was sent. */
  const topics = new Map<string, Set<string | undefined>>()
  let replaced = 0
  let duplicates = 0
  let firstAt: number | null = null
  let lastAt: number | null = null
  const push = await startFakePushService({
    decrypt,
    onAccepted: ({ path, topic }) => {
      // When the first and the latest push were accepted, for the rate.
      lastAt = Date.now()
      firstAt ??= lastAt
      const seen = topics.get(path)
      if (!seen) return void topics.set(path, new Set([topic]))
      if (topic !== undefined && seen.has(topic)) replaced++
      else duplicates++
      seen.add(topic)
    },
  })
  let devicesMade = 0
  const ops: Record<string, (arg: unknown) => unknown> = {
    ready: () => true,
    addDevices: (count) => Array.from({ length: Number(count) }, () => push.addDevice(`d${devicesMade++}`)),
    stats: (): FakePushStats => ({
      accepted: push.stats.accepted,
      devices: topics.size,
      replaced,
      duplicates,
      decrypted: push.stats.decrypted,
      vapidTokensVerified: push.stats.vapidTokensVerified,
      decryptSample: decrypt === 'all' ? 'all' : `first ${decrypt.first}, then 1 in ${decrypt.every}`,
      errors: push.errors.length,
      connections: push.stats.connections,
      requests: push.stats.requests,
      maxInFlight: push.stats.maxInFlight,
      firstAt,
      lastAt,
    }),
    close: () => push.close(),
  }
  process.on('message', async (m: { id: number; op: string; arg: unknown }) => {
    const result = await ops[m.op]?.(m.arg)
    process.send?.({ id: m.id, result: result ?? null })
  })
  process.on('disconnect', () => process.exit(0))
}

if (process.argv.includes('--child')) await runChild()
