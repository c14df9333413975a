import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { buffer, text } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FileStorage, FileTooLargeError } from './file-storage'

export interface StorageUnderTest {
  storage: FileStorage
  close(): Promise<void>
}

const MiB = 1024 * 1024

/** `mb` MiB of varied bytes in 1 MiB chunks, generated as they are read (never held whole). */
function generated(mb: number): { stream: () => Readable; sha256: string; size: number } {
  const chunk = (i: number) => Buffer.alloc(MiB, (i * 37 + 11) % 256)
  const hash = createHash('sha256')
  for (let i = 0; i < mb; i++) hash.update(chunk(i))
  return {
    stream: () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < mb; i++) yield chunk(i)
        })(),
      ),
    sha256: hash.digest('hex'),
    size: mb * MiB,
  }
}

const sha = async (stream: Readable) => {
  const hash = createHash('sha256')
  for await (const c of stream) hash.update(c as Buffer)
  return hash.digest('hex')
}

/**
 * What every FileStorage promises the modules (uploads, downloads, retention and erasure), run
 * against each implementation: the local folder and an S3-compatible bucket pass the same tests.
 */
export function describeFileStorageContract(name: string, open: () => Promise<StorageUnderTest>) {
  describe(`FileStorage contract: ${name}`, () => {
    let under: StorageUnderTest
    let storage: FileStorage
    let n = 0
    const key = (ext = 'bin') => `contract/${Date.now()}-${++n}.${ext}`
    beforeAll(async () => {
      under = await open()
      storage = under.storage
    })
    afterAll(() => under?.close())

    it('streams a file in, hashes it, and reads the same bytes back', async () => {
      const body = 'ảnh chiếc xe máy ở ngõ 12, phường Bạch Đằng '.repeat(2000)
      const k = key('txt')
      const stored = await storage.put(
        k,
        Readable.from([Buffer.from(body.slice(0, 100)), Buffer.from(body.slice(100))]),
      )
      expect(stored).toEqual({
        key: k,
        size: Buffer.byteLength(body),
        sha256: createHash('sha256').update(body).digest('hex'),
      })
      expect(await text(await storage.get(k))).toBe(body)
      expect(await storage.stat(k)).toEqual({ size: Buffer.byteLength(body) })
    })

    it('takes a buffer as well as a stream', async () => {
      const k = key('jpg')
      const stored = await storage.put(k, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))
      expect(stored.size).toBe(7)
      expect(await buffer(await storage.get(k))).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))
    })

    it('stores a 12 MiB clip streamed in parts, byte for byte', async () => {
      const clip = generated(12)
      const k = key('mp4')
      const stored = await storage.put(k, clip.stream(), { maxBytes: 100 * MiB })
      expect(stored.size).toBe(clip.size)
      expect(stored.sha256).toBe(clip.sha256)
      expect(await sha(await storage.get(k))).toBe(clip.sha256)
      expect(await storage.stat(k)).toEqual({ size: clip.size })
    })

    it('stops a file over the limit, small or several parts long, and keeps nothing under its key', async () => {
      const small = key()
      await expect(storage.put(small, Buffer.alloc(2048), { maxBytes: 1024 })).rejects.toBeInstanceOf(
        FileTooLargeError,
      )
      expect(await storage.stat(small)).toBeUndefined()
      const big = key('mp4')
      await expect(storage.put(big, generated(12).stream(), { maxBytes: 7 * MiB })).rejects.toBeInstanceOf(
        FileTooLargeError,
      )
      expect(await storage.stat(big)).toBeUndefined()
    })

    it('keeps nothing when the sender goes away half-way', async () => {
      const k = key('mp4')
      const broken = Readable.from(
        (function* () {
          yield Buffer.alloc(MiB, 1)
          yield Buffer.alloc(MiB, 2)
          throw new Error('client went away')
        })(),
      )
      await expect(storage.put(k, broken)).rejects.toThrow(/client went away/)
      expect(await storage.stat(k)).toBeUndefined()
    })

    it('deletes: the bytes are gone, and deleting again is not an error', async () => {
      const k = key('jpg')
      await storage.put(k, Buffer.from('evidence'))
      await storage.delete(k)
      expect(await storage.stat(k)).toBeUndefined()
      await expect(storage.get(k)).rejects.toMatchObject({ code: 'ENOENT' })
      await expect(storage.delete(k)).resolves.toBeUndefined()
    })

    it('answers a key that holds nothing as missing (ENOENT), not as an empty file', async () => {
      const k = key()
      expect(await storage.stat(k)).toBeUndefined()
      await expect(storage.get(k)).rejects.toMatchObject({ code: 'ENOENT' })
    })

    it('refuses keys that could escape or alias another key, on every operation', async () => {
      for (const bad of [
        '../evil.txt',
        'a/../../evil.txt',
        '/etc/passwd',
        'a//b.jpg',
        'a/./b.jpg',
        '',
        'a\0b',
      ]) {
        await expect(storage.put(bad, Buffer.from('x')), JSON.stringify(bad)).rejects.toThrow(
          /bad storage key/,
        )
        await expect(storage.get(bad), JSON.stringify(bad)).rejects.toThrow(/bad storage key/)
        await expect(storage.delete(bad), JSON.stringify(bad)).rejects.toThrow(/bad storage key/)
      }
    })
  })
}
