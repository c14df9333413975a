import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import * as tar from 'tar'

/**
 * A backup is one gzip'd tar: `manifest.json` first, then `database/…`, `files/…` and `secrets/…`.
 * The manifest lists every other entry with its size and SHA-256, so a restore can tell a damaged
 * or edited archive from a good one before it writes anything.
 */
export const MANIFEST = 'manifest.json'
export const ARCHIVE_FORMAT = 'nhipcau-backup'
export const ARCHIVE_VERSION = 1

export interface ManifestEntry {
  path: string
  bytes: number
  sha256: string
}

export interface BackupManifest {
  format: typeof ARCHIVE_FORMAT
  version: typeof ARCHIVE_VERSION
  createdAt: string
  appVersion: string
  database: { kind: 'pglite' | 'postgres'; migrationsApplied: number }
  entries: ManifestEntry[]
}

export class BackupArchiveError extends Error {}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Every regular file below `root`, as paths relative to it with forward slashes, sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (dir: string) => {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw err
    }
    for (const name of names) {
      const full = join(dir, name)
      const info = await stat(full)
      if (info.isDirectory()) await walk(full)
      else if (info.isFile()) out.push(relative(root, full).split(sep).join('/'))
    }
  }
  await walk(root)
  return out.sort()
}

/** Writes the manifest for what the staging folder holds, then the archive (atomically, by rename). */
export async function writeArchive(
  staging: string,
  file: string,
  header: Omit<BackupManifest, 'entries'>,
): Promise<BackupManifest> {
  const entries: ManifestEntry[] = []
  for (const path of await listFiles(staging)) {
    if (path === MANIFEST) continue
    const full = join(staging, path)
    entries.push({ path, bytes: (await stat(full)).size, sha256: await sha256File(full) })
  }
  const manifest: BackupManifest = { ...header, entries }
  await writeFile(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
  const partial = `${file}.partial`
  await tar.create({ gzip: true, file: partial, cwd: staging, portable: true }, [
    MANIFEST,
    ...new Set(entries.map((e) => e.path.split('/')[0] as string)),
  ])
  // It holds the session secret and every resident's data: readable by its owner only.
  await chmod(partial, 0o600)
  await rename(partial, file)
  return manifest
}

/**
 * Extracts an archive into an empty folder and checks it against its manifest: every listed file
 * present with its size and hash, nothing unlisted. Throws BackupArchiveError otherwise.
 */
export async function extractArchive(file: string, into: string): Promise<BackupManifest> {
  await mkdir(into, { recursive: true })
  try {
    // tar refuses absolute paths and `..` by default: an archive cannot write outside `into`.
    await tar.extract({ file, cwd: into, strict: true })
  } catch (err) {
    throw new BackupArchiveError(`${file} is not a readable backup archive: ${(err as Error).message}`)
  }
  let manifest: BackupManifest
  try {
    manifest = JSON.parse(await readFile(join(into, MANIFEST), 'utf8')) as BackupManifest
  } catch {
    throw new BackupArchiveError(`${file} has no readable ${MANIFEST}: it is not a NhipCau backup`)
  }
  if (manifest.format !== ARCHIVE_FORMAT || manifest.version !== ARCHIVE_VERSION)
    throw new BackupArchiveError(`${file} is not a NhipCau backup of format version ${ARCHIVE_VERSION}`)
  const listed = new Map(manifest.entries.map((e) => [e.path, e]))
  for (const path of await listFiles(into)) {
    if (path === MANIFEST) continue
    const entry = listed.get(path)
    if (!entry) throw new BackupArchiveError(`${path} is in the archive but not in its manifest`)
    const full = join(into, path)
    if ((await stat(full)).size !== entry.bytes || (await sha256File(full)) !== entry.sha256)
      throw new BackupArchiveError(`${path} does not match its checksum: the archive is damaged`)
    listed.delete(path)
  }
  if (listed.size) throw new BackupArchiveError(`missing from the archive: ${[...listed.keys()].join(', ')}`)
  return manifest
}

export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true })
