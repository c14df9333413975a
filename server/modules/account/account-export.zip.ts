import { Readable } from 'node:stream'
import { translate } from '@common/i18n/messages'
import yazl from 'yazl'
import type { FileStorage } from '../../storage/file-storage'
import type { AccountExportPart } from './account.service'

const FORMAT = 'nhipcau-account-export/2'

/** The README, one paragraph per file, in the given language. */
export function exportReadme(locale: 'vi' | 'en', exportedAt: Date, parts: AccountExportPart[]): string {
  const t = (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars)
  const lines = [
    t('data.readme.title'),
    '',
    t('data.readme.intro', { at: exportedAt.toISOString() }),
    '',
    ...parts.flatMap((p) => [`${p.name}.json`, `  ${t(`data.readme.${p.name}`)}`, '']),
    'files/',
    `  ${t('data.readme.files')}`,
    '',
    t('data.readme.rights'),
    '',
  ]
  return lines.join('\n')
}

/**
 * The resident's data as one ZIP, streamed: README.txt (Vietnamese) and README.en.txt, one JSON file
 * per module, and their own files under files/ (photos, clips, documents), read from storage lazily.
 */
export function buildAccountExport(
  storage: FileStorage,
  data: { exportedAt: Date; parts: AccountExportPart[] },
): Readable {
  const zip = new yazl.ZipFile()
  const mtime = data.exportedAt
  zip.addBuffer(Buffer.from(exportReadme('vi', mtime, data.parts)), 'README.txt', { mtime })
  zip.addBuffer(Buffer.from(exportReadme('en', mtime, data.parts)), 'README.en.txt', { mtime })
  zip.addBuffer(
    Buffer.from(
      JSON.stringify(
        { format: FORMAT, exportedAt: mtime.toISOString(), files: data.parts.map((p) => `${p.name}.json`) },
        null,
        2,
      ),
    ),
    'manifest.json',
    { mtime },
  )
  for (const p of data.parts) {
    zip.addBuffer(Buffer.from(JSON.stringify(p.data, null, 2)), `${p.name}.json`, { mtime })
    for (const f of p.files)
      zip.addReadStreamLazy(f.path, { mtime, compress: false }, (cb) => {
        storage.get(f.storageKey).then(
          (stream) => cb(null, stream),
          (err: Error) => cb(err, Readable.from([])),
        )
      })
  }
  zip.end()
  return zip.outputStream as Readable
}
