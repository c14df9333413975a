import type { FileHandle } from 'node:fs/promises'

/**
 * Bytes the container parsers read and rewrite in place: a spooled upload (a file handle) or a
 * buffer already in memory. Reads go through a 64 KiB window, so walking millions of small
 * elements costs a read per window, not a system call per element.
 */
export interface RandomAccess {
  readonly size: number
  /** Up to `length` bytes from `position` (fewer at the end). Do not keep the result across a write. */
  read(position: number, length: number): Promise<Buffer>
  write(position: number, bytes: Buffer): Promise<void>
}

const WINDOW = 64 * 1024

/** A file handle opened for reading and writing (`r+`). */
export function fileAccess(fh: FileHandle, size: number): RandomAccess {
  let windowStart = 0
  let window = Buffer.alloc(0)
  return {
    size,
    async read(position, length) {
      if (position < 0 || position >= size) return Buffer.alloc(0)
      if (position < windowStart || position + length > windowStart + window.length) {
        const want = Math.min(Math.max(length, WINDOW), size - position)
        const buf = Buffer.alloc(want)
        const { bytesRead } = await fh.read(buf, 0, want, position)
        windowStart = position
        window = buf.subarray(0, bytesRead)
      }
      const from = position - windowStart
      return window.subarray(from, Math.min(from + length, window.length))
    },
    async write(position, bytes) {
      await fh.write(bytes, 0, bytes.length, position)
      window = Buffer.alloc(0) // the window may hold the old bytes
    },
  }
}

/** A buffer in memory, rewritten in place. */
export function bufferAccess(buf: Buffer): RandomAccess {
  return {
    size: buf.length,
    async read(position, length) {
      if (position < 0) return Buffer.alloc(0)
      return buf.subarray(position, Math.min(position + length, buf.length))
    },
    async write(position, bytes) {
      bytes.copy(buf, position)
    },
  }
}

/** Writes zeros over [from, to). */
export async function zeroRange(src: RandomAccess, from: number, to: number): Promise<void> {
  const zeros = Buffer.alloc(Math.min(WINDOW, Math.max(0, to - from)))
  for (let at = from; at < to; at += zeros.length)
    await src.write(at, zeros.subarray(0, Math.min(zeros.length, to - at)))
}
