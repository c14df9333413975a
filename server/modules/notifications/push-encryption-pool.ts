import { Worker } from 'node:worker_threads'
import { isServerBundle, projectPath } from '../../lib/project-paths'
import { decodeDeviceKeys, encryptPushMessage, InvalidDeviceKeys } from './push-encryption'
import type { EncryptRequest, EncryptResponse } from './push-encryption.worker'

/** A worker with nothing to do for this long is stopped (its memory returned); the next push starts it again. */
const IDLE_STOP_MS = 60_000

/**
 * The worker's own entry: in the bundle, its own bundled file (scripts/lib/server-build.mjs writes
 * it); through tsx, a boot file that registers tsx in the worker (a worker thread has its own module
 * loader) first.
 */
const workerEntry = isServerBundle
  ? projectPath('dist', 'server', 'push-encryption.worker.mjs')
  : new URL('./push-encryption.worker-boot.mjs', import.meta.url)

interface Waiting {
  resolve: (body: Buffer) => void
  reject: (err: Error) => void
}

/**
 * Web Push encryption on worker threads. Per message it is one ECDH key generation and one ECDH
 * agreement (RFC 8291 requires both), about a third of the main thread's time when pushing 1,000/s;
 * on worker threads it uses the other cores while the main thread does the database and the HTTP.
 * Requests made in the same turn of the event loop go to a worker as one message (a few hundred
 * pushes of a batch cost one postMessage, not one each), round-robin over `size` workers. With
 * size 0 it encrypts inline. Workers start on the first push and stop after a minute idle; they
 * never keep the process alive.
 */
export class PushEncryptionPool {
  private workers: Worker[] = []
  private next = 0
  private seq = 0
  private readonly waiting = new Map<number, Waiting>()
  private batch: EncryptRequest[] = []
  private flushScheduled = false
  private idleTimer: NodeJS.Timeout | undefined
  /** A worker failed to start or died: encryption goes inline from then on. */
  private broken = false
  /** Messages encrypted by the workers and on the calling thread (inline, or after a worker failed). */
  readonly stats = { onWorkers: 0, inline: 0 }

  constructor(readonly size: number) {}

  encrypt(keys: { p256dh: string; auth: string }, plaintext: string): Promise<Buffer> {
    if (this.size === 0 || this.broken) {
      this.stats.inline++
      try {
        return Promise.resolve(encryptPushMessage(decodeDeviceKeys(keys), Buffer.from(plaintext)))
      } catch (err) {
        return Promise.reject(err)
      }
    }
    const id = ++this.seq
    this.batch.push({ id, p256dh: keys.p256dh, auth: keys.auth, plaintext })
    if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(() => this.flush())
    }
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }))
  }

  /** Stops the workers; encryptions still waiting fail (nothing was sent for them). */
  close(): void {
    this.stopWorkers(new Error('push encryption pool closed'))
    this.broken = true
  }

  private flush(): void {
    this.flushScheduled = false
    const batch = this.batch
    this.batch = []
    if (batch.length === 0) return
    if (this.workers.length === 0) this.startWorkers()
    if (this.broken) {
      for (const r of batch) this.settleInline(r)
      return
    }
    const worker = this.workers[this.next++ % this.workers.length]!
    worker.postMessage(batch)
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = undefined
  }

  private settleInline(r: EncryptRequest): void {
    const waiting = this.waiting.get(r.id)
    this.waiting.delete(r.id)
    this.stats.inline++
    try {
      waiting?.resolve(encryptPushMessage(decodeDeviceKeys(r), Buffer.from(r.plaintext)))
    } catch (err) {
      waiting?.reject(err as Error)
    }
  }

  private startWorkers(): void {
    try {
      for (let i = 0; i < this.size; i++) {
        const worker = new Worker(workerEntry)
        worker.unref()
        worker.on('message', (results: EncryptResponse[]) => this.settle(results))
        worker.on('error', (err) => {
          this.broken = true
          this.stopWorkers(err)
        })
        this.workers.push(worker)
      }
    } catch {
      this.broken = true
      this.stopWorkers(undefined)
    }
  }

  private settle(results: EncryptResponse[]): void {
    for (const r of results) {
      const waiting = this.waiting.get(r.id)
      this.waiting.delete(r.id)
      if (!waiting) continue
      this.stats.onWorkers++
      if ('body' in r) waiting.resolve(Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength))
      else waiting.reject(r.invalidKeys ? new InvalidDeviceKeys(r.error) : new Error(r.error))
    }
    if (this.waiting.size === 0 && !this.idleTimer) {
      this.idleTimer = setTimeout(() => this.stopWorkers(undefined), IDLE_STOP_MS)
      this.idleTimer.unref()
    }
  }

  private stopWorkers(err: Error | undefined): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    const workers = this.workers
    this.workers = []
    for (const w of workers) void w.terminate()
    // Those a dead worker held: failed, never sent, so the job's retry cannot make a duplicate.
    if (err || workers.length > 0)
      for (const [id, waiting] of this.waiting) {
        if (this.batch.some((r) => r.id === id)) continue
        waiting.reject(err ?? new Error('push encryption worker stopped'))
        this.waiting.delete(id)
      }
  }
}
