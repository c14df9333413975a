import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  assertStorageKey,
  type FileStorage,
  isStorageFull,
  meteredStream,
  StorageFullError,
  type StoredFile,
} from './file-storage'

/**
 * Files under DATA_DIR/files. Writes go to a temp name and are renamed when complete, so a crash
 * never leaves a half-written file under its real key; the hash is computed while streaming.
 */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private pathFor(key: string): string {
    assertStorageKey(key)
    const full = resolve(this.root, key)
    if (!full.startsWith(resolve(this.root) + sep) || key.includes('\0'))
      throw new Error(`bad storage key ${key}`)
    return full
  }

  async put(key: string, body: Readable | Buffer, opts: { maxBytes?: number } = {}): Promise<StoredFile> {
    const target = this.pathFor(key)
    await mkdir(dirname(target), { recursive: true })
    const temp = `${target}.${randomUUID()}.part`
    const { stream: meter, measured } = meteredStream(opts.maxBytes)
    try {
      await pipeline(
        Buffer.isBuffer(body) ? Readable.from([body]) : body,
        meter,
        createWriteStream(temp, { flags: 'wx' }),
      )
      await rename(temp, target)
    } catch (err) {
      // A full disk leaves no partial file behind either: the temp name is removed here.
      await rm(temp, { force: true })
      if (isStorageFull(err)) throw new StorageFullError((err as { code?: string }).code ?? 'ENOSPC')
      throw err
    }
    return { key, ...measured() }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathFor(key)
    await stat(path)
    return createReadStream(path)
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const s = await stat(this.pathFor(key))
      return { size: s.size }
    } catch {
      return undefined
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathFor(key), { force: true })
  }
}
