import { createHash } from 'node:crypto'
import { type Readable, Transform } from 'node:stream'

export interface StoredFile {
  key: string
  size: number
  /** Hex SHA-256 of the stored bytes: evidence integrity and de-duplication. */
  sha256: string
}

/**
 * Where photos, clips, PDFs and posters live. Keys are opaque paths chosen by the caller
 * ("messages/2026/11/<uuid>.jpg"). Local folder by default (LocalFileStorage); S3-compatible object
 * storage when S3_BUCKET is set (S3FileStorage). Streams in and out: a 100 MB video is never held in
 * memory. Both pass the same contract (file-storage.contract.ts).
 */
export interface FileStorage {
  put(key: string, body: Readable | Buffer, opts?: { maxBytes?: number }): Promise<StoredFile>
  /** The bytes; rejects with an error whose `code` is 'ENOENT' when no file has that key. */
  get(key: string): Promise<Readable>
  stat(key: string): Promise<{ size: number } | undefined>
  /** Removes the file; a key with no file is not an error. Rejects when the bytes may still be there. */
  delete(key: string): Promise<void>
}

/**
 * Relative, slash-separated, no "." or ".." segment, no empty segment, no NUL: the same keys are
 * valid on disk and in a bucket, so moving a deployment between the two never meets a key one of
 * them refuses.
 */
export function assertStorageKey(key: string): void {
  const segments = key.split('/')
  const bad =
    key.length === 0 ||
    key.length > 900 ||
    key.includes('\0') ||
    key.includes('\\') ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  if (bad) throw new Error(`bad storage key ${JSON.stringify(key)}`)
}

/** The error get() rejects with for a key that holds no file (what fs gives for a missing path). */
export function fileNotFound(key: string): Error {
  return Object.assign(new Error(`no stored file ${JSON.stringify(key)}`), { code: 'ENOENT' })
}

export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError'
  constructor(readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`)
  }
}

/** The disk (or quota) under the storage is full: the file was not kept; answered 507. */
export class StorageFullError extends Error {
  override name = 'StorageFullError'
  constructor(readonly code: string) {
    super(`storage full (${code})`)
  }
}

/** ENOSPC (no space left) or EDQUOT (quota exceeded), however deep in a cause chain. */
export function isStorageFull(err: unknown): boolean {
  let current: unknown = err
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof StorageFullError) return true
    const code = (current as { code?: unknown }).code
    if (code === 'ENOSPC' || code === 'EDQUOT') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/**
 * The pass-through every backend streams a file through: it counts the bytes, refuses past
 * `maxBytes` (FileTooLargeError ends the pipeline, so the backend keeps nothing) and takes the
 * SHA-256 on the way, so no file is ever held whole to be measured.
 */
export function meteredStream(maxBytes?: number) {
  const hash = createHash('sha256')
  let size = 0
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (maxBytes !== undefined && size > maxBytes) return done(new FileTooLargeError(maxBytes))
      hash.update(chunk)
      done(null, chunk)
    },
  })
  return { stream, measured: () => ({ size, sha256: hash.digest('hex') }) }
}
