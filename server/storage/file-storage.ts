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
