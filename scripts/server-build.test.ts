import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
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

  it('loads the packages only some routes need when they are used, not at start', () => {
    // Every module a start evaluates: main.mjs and what it imports statically, transitively.
    // pdfkit, fontkit, sharp, web-push, qrcode and react cost up to 1.5 s of a restart on 2 cores
    // while 5,000 clients waited to reconnect (bench/README.md, issue 16): they stay behind import().
    const packages = new Set<string>()
    const seen = new Set<string>()
    const visit = (path: string) => {
      if (seen.has(path)) return
      seen.add(path)
      const code = readFileSync(path, 'utf8')
      for (const [, spec] of code.matchAll(
        /^(?:import|export)\s[^;]*?\bfrom\s*"([^"]+)"|^import\s*"([^"]+)"/gm,
      )) {
        if (spec === undefined) continue
        if (spec.startsWith('.')) visit(join(dirname(path), spec))
        else if (!spec.startsWith('node:'))
          packages.add(
            spec
              .split('/')
              .slice(0, spec.startsWith('@') ? 2 : 1)
              .join('/'),
          )
      }
    }
    visit(file('main'))
    expect(packages).toContain('fastify') // the walk finds what start does load
    for (const lazy of [
      'pdfkit',
      'fontkit',
      'sharp',
      'web-push',
      'qrcode',
      'react',
      'react-dom',
      'lucide-react',
    ])
      expect(packages, lazy).not.toContain(lazy)
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
