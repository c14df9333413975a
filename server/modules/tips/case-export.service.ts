import { createHash } from 'node:crypto'
import { Readable, Transform } from 'node:stream'
import type { TCaseView } from '@common/schemas/cases'
import yazl from 'yazl'
import type { FileStorage } from '../../storage/file-storage'
import type { EvidenceRow } from './cases.repository'

const extOf = (mime: string) =>
  ({ 'image/jpeg': 'jpg', 'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm' })[mime] ?? 'bin'

export const evidencePath = (f: EvidenceRow) => `evidence/${f.id}.${extOf(f.mime)}`

export interface ManifestEntry {
  path: string
  fileId: string
  sha256: string
  size: number
  mime: string
  kind: 'photo' | 'video'
  addedByRole: string
  addedBy: string | null
  addedAt: string
  redactsId: string | null
}

/**
 * The case as a ZIP, streamed: case.json (the case with its timeline), manifest.json and SHA256SUMS
 * (the stored hash of every evidence file), the files themselves, and verification.json, written
 * last, with the hash of each file as it actually went into the archive and whether it matches.
 */
export function buildCaseExport(storage: FileStorage, view: TCaseView, evidence: EvidenceRow[]): Readable {
  const zip = new yazl.ZipFile()
  const mtime = new Date()
  const manifest: ManifestEntry[] = evidence.map((f) => ({
    path: evidencePath(f),
    fileId: f.id,
    sha256: f.sha256,
    size: f.size,
    mime: f.mime,
    kind: f.kind,
    addedByRole: f.addedByRole,
    addedBy: view.evidence.find((e) => e.id === f.id)?.addedBy?.name ?? null,
    addedAt: f.createdAt.toISOString(),
    redactsId: f.redactsId,
  }))
  zip.addBuffer(Buffer.from(JSON.stringify(view, null, 2)), 'case.json', { mtime })
  zip.addBuffer(
    Buffer.from(
      JSON.stringify(
        { case: view.reference, exportedAt: mtime.toISOString(), algorithm: 'SHA-256', files: manifest },
        null,
        2,
      ),
    ),
    'manifest.json',
    { mtime },
  )
  zip.addBuffer(Buffer.from(manifest.map((m) => `${m.sha256}  ${m.path}\n`).join('')), 'SHA256SUMS', {
    mtime,
  })

  const computed = new Map<string, string>()
  for (const f of evidence) {
    // Media is already compressed: store it as is.
    zip.addReadStreamLazy(evidencePath(f), { mtime, compress: false }, (cb) => {
      const hash = createHash('sha256')
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk)
          done(null, chunk)
        },
        flush(done) {
          computed.set(f.id, hash.digest('hex'))
          done()
        },
      })
      storage.get(f.storageKey).then(
        (stream) => cb(null, stream.pipe(meter)),
        (err: Error) => cb(err, Readable.from([])),
      )
    })
  }
  zip.addReadStreamLazy('verification.json', { mtime }, (cb) => {
    const files = evidence.map((f) => ({
      path: evidencePath(f),
      stored: f.sha256,
      exported: computed.get(f.id) ?? null,
      matches: computed.get(f.id) === f.sha256,
    }))
    cb(
      null,
      Readable.from([
        Buffer.from(JSON.stringify({ allMatch: files.every((x) => x.matches), files }, null, 2)),
      ]),
    )
  })
  zip.end()
  return zip.outputStream as Readable
}
