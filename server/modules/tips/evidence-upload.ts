import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { PHOTO_MAX_BYTES, VIDEO_MAX_BYTES } from '@common/schemas/tips'
import { AppError } from '../../lib/errors'
import {
  imageKinds,
  type SniffedKind,
  sniffContent,
  sniffedMime,
  videoKinds,
} from '../../storage/content-sniffer'
import { type FileStorage, FileTooLargeError, isStorageFull } from '../../storage/file-storage'
import { MediaContainerError } from '../../storage/media-container-error'
import { checkMedia, type MediaContainer, stripMediaMetadata } from '../../storage/media-metadata'
import { fileAccess } from '../../storage/random-access'

/** A file stored but not yet recorded as evidence: the caller records it or removes it. */
export interface StoredUpload {
  id: string
  kind: 'photo' | 'video'
  mime: string
  size: number
  sha256: string
  storageKey: string
  thumbKey: string | null
  width: number | null
  height: number | null
}

const THUMB_PX = 320
const PHOTO_MAX_PX = 4096

const fieldError = (kind: 'unsupported_media_type' | 'payload_too_large', key: string) =>
  new AppError(kind, key, { fields: [{ field: 'files', code: kind, messageKey: key }] })

/** Resolves with the first `n` bytes (or fewer at the end) and leaves the stream paused. */
function readHead(stream: Readable, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let length = 0
    const finish = () => {
      stream.off('data', onData)
      stream.off('end', finish)
      stream.off('error', onError)
      stream.pause()
      resolve(Buffer.concat(chunks))
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      length += chunk.length
      if (length >= n) finish()
    }
    const onError = (err: Error) => {
      stream.off('data', onData)
      stream.off('end', finish)
      reject(err)
    }
    stream.on('data', onData)
    stream.once('end', finish)
    stream.once('error', onError)
  })
}

/** The head chunk followed by the rest of the stream, without ever holding more than a chunk. */
function rejoin(head: Buffer, rest: Readable): Readable {
  return Readable.from(
    (async function* () {
      if (head.length) yield head
      for await (const chunk of rest) yield chunk as Buffer
    })(),
    { objectMode: false },
  )
}

/** Fails the stream as soon as more than `max` bytes went through. */
const byteLimit = (max: number) => {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length
      if (seen > max) return done(new FileTooLargeError(max))
      done(null, chunk)
    },
  })
}

const keyFor = (id: string, ext: string) => {
  const month = new Date().toISOString().slice(0, 7).replace('-', '/')
  return `evidence/${month}/${id}.${ext}`
}

const isTooLarge = (err: unknown) =>
  err instanceof FileTooLargeError ||
  (err as { code?: string })?.code === 'FST_REQ_FILE_TOO_LARGE' ||
  (err as { cause?: unknown })?.cause instanceof FileTooLargeError

/** Who sent the file: clips from anonymous senders lose their metadata before anything is stored. */
export interface UploadOptions {
  anonymous: boolean
  /** Videos the form may still carry (anonymous senders: ANONYMOUS_MAX_VIDEOS); unset: no limit beyond the file count. */
  maxVideos?: number
}

/**
 * Stores one uploaded file, judged by its content, never by its name or declared type.
 * A video (MP4, QuickTime, WebM, ≤ 100 MB) is spooled to a temporary file with a byte limit; MP4 and
 * QuickTime must be real ISO-BMFF files with a video track and a video brand (image brands such as
 * HEIC or AVIF and arbitrary bytes after an `ftyp` are refused), WebM a real EBML file with a video
 * track. From an anonymous sender its metadata (place, device, creation times, tags, titles)
 * is removed in process before the file is hashed and stored, so the
 * hash is the stored file's. From an identified sender the original is kept as evidence (see
 * docs/personal-data.md, "Media"). A photo (JPEG, PNG, WebP, HEIC where readable, ≤ 20 MB) is
 * re-encoded as JPEG, which drops EXIF (GPS position, phone model), and gets a 320 px thumbnail.
 */
export async function storeUpload(
  storage: FileStorage,
  file: Readable,
  opts: UploadOptions = { anonymous: false },
): Promise<StoredUpload> {
  const head = await readHead(file, 64)
  const sniffed = sniffContent(head)
  const body = rejoin(head, file)
  if (sniffed && videoKinds.includes(sniffed)) {
    if (opts.maxVideos !== undefined && opts.maxVideos <= 0) {
      body.resume()
      throw fieldError('payload_too_large', 'tips.too_many_videos')
    }
    return storeVideo(storage, body, sniffed, opts)
  }
  if (sniffed && imageKinds.includes(sniffed)) return storePhoto(storage, body, sniffed)
  body.resume()
  throw fieldError('unsupported_media_type', 'tips.file_type')
}

async function storeVideo(
  storage: FileStorage,
  body: Readable,
  kind: SniffedKind,
  opts: UploadOptions,
): Promise<StoredUpload> {
  const id = randomUUID()
  const ext = kind === 'quicktime' ? 'mov' : kind
  const spool = join(tmpdir(), `nhipcau-upload-${id}`)
  try {
    await pipeline(body, byteLimit(VIDEO_MAX_BYTES), createWriteStream(spool))
    const fh = await open(spool, 'r+')
    try {
      const container: MediaContainer = kind === 'quicktime' || kind === 'webm' ? kind : 'mp4'
      const src = fileAccess(fh, (await fh.stat()).size)
      const found = opts.anonymous
        ? await stripMediaMetadata(container, src)
        : await checkMedia(container, src)
      if (!found.hasVideo) throw new MediaContainerError('webm', 'no_video_track')
    } finally {
      await fh.close()
    }
    const stored = await storage.put(keyFor(id, ext), createReadStream(spool), { maxBytes: VIDEO_MAX_BYTES })
    return {
      id,
      kind: 'video',
      mime: sniffedMime[kind],
      size: stored.size,
      sha256: stored.sha256,
      storageKey: stored.key,
      thumbKey: null,
      width: null,
      height: null,
    }
  } catch (err) {
    body.resume()
    if (isTooLarge(err)) throw fieldError('payload_too_large', 'tips.video_too_large')
    if (err instanceof MediaContainerError) throw fieldError('unsupported_media_type', 'tips.video_invalid')
    throw err
  } finally {
    await rm(spool, { force: true })
  }
}

async function storePhoto(storage: FileStorage, body: Readable, kind: SniffedKind): Promise<StoredUpload> {
  const id = randomUUID()
  // Imported on the first photo rather than at start (sharp is heavy to load; issue 16: restarts).
  const { default: sharp } = await import('sharp')
  // rotate() applies the EXIF orientation; sharp writes no metadata unless asked, so EXIF is gone.
  const encoder = sharp({ failOn: 'error', limitInputPixels: 80_000_000 })
    .rotate()
    .resize({ width: PHOTO_MAX_PX, height: PHOTO_MAX_PX, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 85 })
  let info: { width: number; height: number } | undefined
  encoder.on('info', (i: { width: number; height: number }) => {
    info = i
  })
  const limited = body.pipe(byteLimit(PHOTO_MAX_BYTES))
  limited.on('error', (err) => encoder.destroy(err))
  let stored: Awaited<ReturnType<FileStorage['put']>>
  try {
    stored = await storage.put(keyFor(id, 'jpg'), limited.pipe(encoder))
  } catch (err) {
    body.resume()
    if (isTooLarge(err)) throw fieldError('payload_too_large', 'tips.photo_too_large')
    if (isStorageFull(err)) throw err
    throw fieldError(
      'unsupported_media_type',
      kind === 'heic' ? 'tips.heic_unsupported' : 'tips.photo_unreadable',
    )
  }
  const thumbKey = keyFor(`${id}-thumb`, 'jpg')
  const thumb = (await storage.get(stored.key)).pipe(
    sharp()
      .resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 70 }),
  )
  try {
    await storage.put(thumbKey, thumb)
  } catch (err) {
    // No photo without its thumbnail (a full disk here would otherwise leave the photo orphaned).
    await storage.delete(stored.key).catch(() => undefined)
    throw err
  }
  return {
    id,
    kind: 'photo',
    mime: 'image/jpeg',
    size: stored.size,
    sha256: stored.sha256,
    storageKey: stored.key,
    thumbKey,
    width: info?.width ?? null,
    height: info?.height ?? null,
  }
}

/** Removes files that never became evidence (the form was refused, or a retry found the first tip). */
export async function discardUploads(storage: FileStorage, uploads: StoredUpload[]): Promise<void> {
  for (const u of uploads) {
    await storage.delete(u.storageKey).catch(() => undefined)
    if (u.thumbKey) await storage.delete(u.thumbKey).catch(() => undefined)
  }
}
