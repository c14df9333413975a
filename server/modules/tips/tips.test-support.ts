import { randomUUID } from 'node:crypto'
import sharp from 'sharp'
import yauzl from 'yauzl'
import { mp4WithMetadata } from '../../test/mp4-fixture'

/** Test helpers for the tips module: multipart bodies and tiny valid media made on the spot. */

export interface Part {
  name: string
  value: string | Buffer
  filename?: string
  contentType?: string
}

/** A multipart/form-data body as a browser would send it. */
export function multipart(
  fields: Record<string, string | number | undefined>,
  files: { data: Buffer; filename: string; contentType?: string }[] = [],
) {
  const boundary = `----nhipcau${randomUUID().replace(/-/g, '')}`
  const chunks: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue
    chunks.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="${f.filename}"\r\ncontent-type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** A small JPEG carrying EXIF (camera make, model) that must not survive the upload. */
export function jpegWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#b22222' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'SpyPhone', Model: 'Tracker 9000', Artist: 'Nguyen Van Lo' } })
    .toBuffer()
}

/** A real-shaped MP4 (a video track, media data) of `size` bytes, without metadata. */
export function fakeMp4(size = 4096): Buffer {
  return mp4WithMetadata({ size, metadata: false })
}

export const newKey = () => randomUUID()

/** Reads every entry of a ZIP into memory (test-sized archives only). */
export function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err)
      const out = new Map<string, Buffer>()
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e)
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks))
            zip.readEntry()
          })
        })
      })
      zip.on('end', () => resolve(out))
      zip.readEntry()
    })
  })
}
