import type { Readable } from 'node:stream'
import type { JobQueue } from '../jobs/job-queue'
import type { FileStorage, StoredFile } from './file-storage'

/** The job queue's name for deletes that failed when first tried. */
export const STORAGE_DELETE_QUEUE = 'storage.delete'

/**
 * Erasure, quarantine and retention delete a file's bytes after their transaction committed, and
 * used to drop a failed delete silently. On disk that almost never fails; a bucket behind a network
 * does (a timeout, a restart, a 503). So a delete that fails becomes a job: the queue retries it with
 * growing pauses (2 s doubling, up to an hour, 20 attempts: about a day) on whichever instance is up,
 * and personal data does not stay in the bucket because of a blip. delete() resolves once the bytes
 * are gone or the job is queued; it rejects only when neither happened (database down too).
 */
export function withDurableDeletes(storage: FileStorage, jobs: JobQueue): FileStorage {
  jobs.register<{ key: string }>(STORAGE_DELETE_QUEUE, async ({ key }) => storage.delete(key))
  return {
    put: (key: string, body: Readable | Buffer, opts?: { maxBytes?: number }): Promise<StoredFile> =>
      storage.put(key, body, opts),
    get: (key: string) => storage.get(key),
    stat: (key: string) => storage.stat(key),
    async delete(key: string) {
      try {
        await storage.delete(key)
      } catch (err) {
        // A key the storage refuses (bad storage key) would fail every retry too.
        if (err instanceof Error && /^bad storage key/.test(err.message)) throw err
        // No unique key: a key may be reused, and deleting twice is harmless.
        await jobs.enqueue(STORAGE_DELETE_QUEUE, { key }, { maxAttempts: 20 })
      }
    },
  }
}
