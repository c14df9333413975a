import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { decryptAes128gcm, makeDeviceKeys } from '../server/test/fakes/fake-push-service'
// @ts-expect-error: a plain .mjs module of the start scripts, without type declarations
import { ensureServerBuild, serverBuildDir, serverBuildFile, serverBuildReason } from './lib/server-build.mjs'

const file = (name: string): string => serverBuildFile(name)

describe('the prebuilt server (dist/server)', () => {
  it('is built when missing or stale, and then counts as current', async () => {
    const warnings: string[] = []
    expect(await ensureServerBuild((line: string) => warnings.push(line))).not.toBeNull()
    expect(warnings).toEqual([])
    expect(serverBuildReason()).toBeNull()
  }, 60_000)

  it('reads files by their place in the project, never by where the bundled module sits', () => {
    // esbuild opens each module's code with a `// server/….ts` line. Only these two may use the
    // module's own location: the project root is found from it, and the pool names the worker's
    // boot file through tsx by it.
    const users = new Set<string>()
    const files = readdirSync(serverBuildDir, { recursive: true, encoding: 'utf8' })
    for (const name of files.filter((f) => f.endsWith('.mjs'))) {
      let current = ''
      for (const line of readFileSync(join(serverBuildDir, name), 'utf8').split('\n')) {
        const start = /^\/\/ ((?:server|common)\/\S+\.ts)$/.exec(line)
        if (start) current = start[1]!
        else if (/import\.meta\.(url|dirname|filename)/.test(line)) users.add(current)
      }
    }
    expect([...users].sort()).toEqual([
      'server/lib/project-paths.ts',
      'server/modules/notifications/push-encryption-pool.ts',
    ])
  })

  it('has a push-encryption worker of its own that encrypts for the device', async () => {
    const device = makeDeviceKeys()
    const worker = new Worker(file('push-encryption.worker'))
    try {
      const [reply] = await new Promise<{ id: number; body: Uint8Array }[]>((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', reject)
        worker.postMessage([{ id: 1, ...device.subscriptionKeys, plaintext: 'Tìm trẻ lạc' }])
      })
      expect(reply!.id).toBe(1)
      expect(decryptAes128gcm(Buffer.from(reply!.body), device)).toBe('Tìm trẻ lạc')
    } finally {
      await worker.terminate()
    }
  })
})
