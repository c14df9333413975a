import type { Readable } from 'node:stream'

export interface StoredFile {
  key: string
  size: number
  /** Hex SHA-256 of the stored bytes: evidence integrity and de-duplication. */
  sha256: string
}

/**
 * Where photos, clips, PDFs and posters live. Keys are opaque paths chosen by the caller
 * ("messages/2026/11/<uuid>.jpg"). Local folder by default; S3-compatible storage later.
 * Streams in and out: a 100 MB video is never held in memory.
 */
export interface FileStorage {
  put(key: string, body: Readable | Buffer, opts?: { maxBytes?: number }): Promise<StoredFile>
  get(key: string): Promise<Readable>
  stat(key: string): Promise<{ size: number } | undefined>
  delete(key: string): Promise<void>
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
