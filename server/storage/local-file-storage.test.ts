import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { FileTooLargeError } from './file-storage'
import { LocalFileStorage } from './local-file-storage'

describe('LocalFileStorage', () => {
  it('streams a file in, hashes it, and reads it back', async () => {
    const storage = new LocalFileStorage(mkdtempSync(join(tmpdir(), 'nc-files-')))
    const body = 'ảnh chiếc xe máy ở ngõ 12'.repeat(1000)
    const stored = await storage.put('tips/a.txt', Readable.from([Buffer.from(body)]))
    expect(stored.size).toBe(Buffer.byteLength(body))
    expect(stored.sha256).toBe(createHash('sha256').update(body).digest('hex'))
    expect(await text(await storage.get('tips/a.txt'))).toBe(body)
  })

  it('stops a file over the limit and leaves nothing behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nc-files-'))
    const storage = new LocalFileStorage(root)
    await expect(storage.put('big/b.bin', Buffer.alloc(2048), { maxBytes: 1024 })).rejects.toBeInstanceOf(
      FileTooLargeError,
    )
    expect(readdirSync(join(root, 'big'))).toEqual([])
  })

  it('refuses keys that escape the storage folder', async () => {
    const storage = new LocalFileStorage(mkdtempSync(join(tmpdir(), 'nc-files-')))
    await expect(storage.put('../evil.txt', Buffer.from('x'))).rejects.toThrow(/bad storage key/)
  })
})
