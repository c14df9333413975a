import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readdir, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Config } from '../../config'
import type { DatabaseHandle } from '../../db/client'
import { acquireDataDirLock } from '../../db/data-dir-lock'
import { getMigrationStatus } from '../../db/migrate'
import { APP_VERSION } from '../../lib/app-version'
import { countApplicationTables } from './backup.repository'
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  BackupArchiveError,
  type BackupManifest,
  extractArchive,
  listFiles,
  removeDir,
  writeArchive,
} from './backup-archive'
import { recordLastBackup } from './backup-record'
import { dumpDatabase, restorePglite, restorePostgres } from './database-dump'

type BackupConfig = Pick<Config, 'DATA_DIR' | 'DATABASE_URL'>

/** Files the server generates on first start and needs to read what it wrote (DATA_DIR/…). */
const SECRETS = ['session-secret']
/** LocalFileStorage writes `<key>.<uuid>.part` and renames it when complete: never back those up. */
const isPartial = (path: string) => path.endsWith('.part')

export class RestoreRefusedError extends Error {}

/**
 * Writes a backup of a running instance to `file`: the database, then the uploaded files, then the
 * generated secrets. The database goes first: a file is stored before the row that names it is
 * committed, so every file the snapshot refers to is already on disk when the files are copied.
 */
export async function createBackup(
  handle: DatabaseHandle,
  config: BackupConfig,
  file: string,
): Promise<BackupManifest> {
  const target = resolve(file)
  await mkdir(dirname(target), { recursive: true })
  const staging = await mkdtemp(join(dirname(target), '.nhipcau-backup-'))
  try {
    await dumpDatabase(handle, config.DATABASE_URL, staging)
    const filesDir = join(config.DATA_DIR, 'files')
    for (const path of (await listFiles(filesDir)).filter((p) => !isPartial(p))) {
      await mkdir(dirname(join(staging, 'files', path)), { recursive: true })
      await copyFile(join(filesDir, path), join(staging, 'files', path))
    }
    for (const name of SECRETS.filter((n) => existsSync(join(config.DATA_DIR, n)))) {
      await mkdir(join(staging, 'secrets'), { recursive: true })
      await copyFile(join(config.DATA_DIR, name), join(staging, 'secrets', name))
    }
    const { applied } = await getMigrationStatus(handle.db)
    const manifest = await writeArchive(staging, target, {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      createdAt: new Date().toISOString(),
      appVersion: APP_VERSION,
      database: { kind: handle.kind, migrationsApplied: applied },
    })
    const { size } = await stat(target)
    await recordLastBackup(config.DATA_DIR, { at: manifest.createdAt, file: target, bytes: size })
    return manifest
  } finally {
    await removeDir(staging)
  }
}

/**
 * Restores a backup into an empty place: DATA_DIR without a database or files, and (on PostgreSQL)
 * a database without NhipCau's tables. Refuses anything else: a restore never merges into or
 * overwrites live data. The archive is checked against its manifest before anything is written.
 */
export async function restoreBackup(config: BackupConfig, file: string): Promise<BackupManifest> {
  const kind = config.DATABASE_URL ? 'postgres' : 'pglite'
  await mkdir(config.DATA_DIR, { recursive: true })
  // Holding the data folder's lock keeps a server from starting on it half-way through.
  const lock = acquireDataDirLock(config.DATA_DIR)
  const staging = await mkdtemp(join(config.DATA_DIR, '.nhipcau-restore-'))
  try {
    const manifest = await extractArchive(resolve(file), staging)
    if (manifest.database.kind !== kind)
      throw new RestoreRefusedError(
        manifest.database.kind === 'pglite'
          ? 'this backup is of the embedded database: restore it with DATABASE_URL unset'
          : 'this backup is of PostgreSQL: restore it with DATABASE_URL set to an empty database',
      )
    await refuseUnlessEmpty(config, kind)
    if (kind === 'pglite') await restorePglite(staging, join(config.DATA_DIR, 'pg'))
    else await restorePostgres(staging, config.DATABASE_URL as string)
    for (const entry of manifest.entries) {
      const [top, ...rest] = entry.path.split('/')
      if (top !== 'files' && top !== 'secrets') continue
      const to = join(config.DATA_DIR, ...(top === 'files' ? ['files', ...rest] : rest))
      await mkdir(dirname(to), { recursive: true })
      await copyFile(join(staging, entry.path), to)
    }
    return manifest
  } finally {
    await removeDir(staging)
    lock.release()
  }
}

async function refuseUnlessEmpty(config: BackupConfig, kind: 'pglite' | 'postgres'): Promise<void> {
  const notEmpty = async (dir: string) => (await readdir(dir).catch(() => [])).length > 0
  if (await notEmpty(join(config.DATA_DIR, 'files')))
    throw new RestoreRefusedError(
      `${join(config.DATA_DIR, 'files')} is not empty: restore into an empty data folder`,
    )
  // A secret alone is not data: loading the configuration makes one in a new folder. Without a
  // database nothing depends on it, and the backup's own secret replaces it.
  if (kind === 'pglite') {
    if (await notEmpty(join(config.DATA_DIR, 'pg')))
      throw new RestoreRefusedError(
        `${config.DATA_DIR} already holds a database: restore into an empty data folder`,
      )
    return
  }
  const tables = await countApplicationTables(config.DATABASE_URL as string)
  if (tables > 0)
    throw new RestoreRefusedError(
      `the database in DATABASE_URL already holds ${tables} tables: restore into an empty database`,
    )
}

export { BackupArchiveError }
