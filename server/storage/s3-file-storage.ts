import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import {
  assertStorageKey,
  type FileStorage,
  fileNotFound,
  meteredStream,
  StorageFullError,
  type StoredFile,
} from './file-storage'

export interface S3StorageOptions {
  bucket: string
  region: string
  endpoint?: string
  forcePathStyle?: boolean
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

/**
 * Multipart part size. lib-storage holds at most `queueSize` parts in memory while they upload, so
 * one upload costs ~2 × 5 MiB whatever the file's size (a 100 MB clip never sits in memory whole).
 * 5 MiB is S3's smallest part; files under it go up in one PutObject.
 */
const PART_BYTES = 5 * 1024 * 1024
const PARTS_IN_FLIGHT = 2

/** Error codes S3-compatible services answer when the bucket or the disks behind it are full. */
const FULL_CODES = new Set(['XMinioStorageFull', 'QuotaExceeded', 'InsufficientStorage', 'StorageFull'])

/**
 * Files in an S3-compatible bucket, under the same keys as on disk.
 *
 * Every byte goes through the server, both ways; no presigned URL is handed out:
 * - Downloads: a staff read of personal data is authorised per request and audited (evidence.read,
 *   message files, officer photos). A presigned GET URL is a bearer capability: it works for
 *   whoever holds it until it expires, cannot be revoked when a file is erased or quarantined, and
 *   the audit would record that a link was issued, not that the bytes were read. The bucket's
 *   endpoint also stays private (no public DNS, no CORS to configure).
 * - Uploads: a file is accepted only after its magic bytes are checked, photos are re-encoded
 *   without EXIF, sizes are metered against quotas and the SHA-256 is taken while streaming. A
 *   presigned PUT would put unchecked bytes in the bucket first and need a second pass to read them
 *   back. Streamed through lib-storage's multipart upload, a 100 MB clip costs two 5 MiB parts of
 *   memory (bench/upload-memory.mjs --s3).
 * The price is the instances' bandwidth, which is what a unit's traffic (photos, short clips) allows.
 */
export class S3FileStorage implements FileStorage {
  private readonly client: S3Client
  private readonly bucket: string

  constructor(opts: S3StorageOptions) {
    this.bucket = opts.bucket
    const config: S3ClientConfig = {
      region: opts.region,
      forcePathStyle: opts.forcePathStyle ?? false,
      // CRC trailers and aws-chunked bodies (the SDK's default since 2025) are not understood by
      // many S3-compatible services; checksums only where the API requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A download holds its socket until the client has read it all; 50 (the default) would make
      // the 51st concurrent photo wait. No request timeout: a slow phone pausing a clip must not cut it.
      requestHandler: {
        connectionTimeout: 5_000,
        httpAgent: { keepAlive: true, maxSockets: 256 },
        httpsAgent: { keepAlive: true, maxSockets: 256 },
      },
    }
    if (opts.endpoint) config.endpoint = opts.endpoint
    if (opts.credentials) config.credentials = opts.credentials
    this.client = new S3Client(config)
  }

  async put(key: string, body: Readable | Buffer, opts: { maxBytes?: number } = {}): Promise<StoredFile> {
    assertStorageKey(key)
    const { stream: meter, measured } = meteredStream(opts.maxBytes)
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: meter },
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      // A failed multipart upload is aborted, so no orphaned parts are billed or kept.
      leavePartsOnError: false,
    })
    // The upload consumes the meter; when it fails, the source must stop too (and vice versa).
    const uploaded = upload.done().catch((err: unknown) => {
      meter.destroy(err as Error)
      throw err
    })
    const [piped, done] = await Promise.allSettled([
      pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, meter),
      uploaded,
    ])
    // The source's error (too large, a client that went away) says more than the upload's echo of it.
    if (piped.status === 'rejected') {
      await upload.abort().catch(() => undefined)
      throw piped.reason
    }
    if (done.status === 'rejected') throw storageError(done.reason)
    return { key, ...measured() }
  }

  async get(key: string): Promise<Readable> {
    assertStorageKey(key)
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))
      if (!(res.Body instanceof Readable)) throw new Error(`S3 GetObject ${key}: no body stream`)
      return res.Body
    } catch (err) {
      if (isMissing(err)) throw fileNotFound(key)
      throw err
    }
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    assertStorageKey(key)
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))
      return { size: res.ContentLength ?? 0 }
    } catch (err) {
      // Only "not there" is undefined: an unreachable bucket must not read as "deleted".
      if (isMissing(err)) return undefined
      throw err
    }
  }

  async delete(key: string): Promise<void> {
    assertStorageKey(key)
    // DeleteObject answers 204 for a key that holds nothing: deleting twice is not an error.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
  }

  /** Closes the kept-alive sockets (server shutdown, end of a test). */
  close(): void {
    this.client.destroy()
  }
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } }
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
}

/** A full bucket is answered 507 like a full disk (StorageFullError); anything else as it came. */
function storageError(err: unknown): unknown {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } }
  const code = e?.Code ?? e?.name ?? ''
  if (FULL_CODES.has(code) || e?.$metadata?.httpStatusCode === 507) return new StorageFullError(code || '507')
  return err
}
