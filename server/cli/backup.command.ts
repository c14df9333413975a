import { mkdir, readdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { type Config, loadConfig } from '../config'
import { openDatabase } from '../db/client'
import { DataDirLockedError } from '../db/data-dir-lock'
import { createBackup, RestoreRefusedError, restoreBackup } from '../modules/backup/backup.service'
import { BackupArchiveError, type BackupManifest } from '../modules/backup/backup-archive'
import { archivesToPrune, backupName } from '../modules/backup/backup-rotation'
import { readControlToken } from '../modules/backup/control-token'
import { DatabaseDumpError } from '../modules/backup/database-dump'
import { CliError } from './cli-error'

type Out = (line?: string) => void

const summarise = (m: BackupManifest) =>
  `${m.database.kind === 'pglite' ? 'embedded database' : 'PostgreSQL'}, ${m.database.migrationsApplied} migrations, ` +
  `${m.entries.filter((e) => e.path.startsWith('files/')).length} files`

/**
 * `nhipcau backup FILE`: one archive of the database, the uploaded files and the generated secrets,
 * while the server runs. On the embedded database a running server holds the data folder, so the
 * command asks that server (over loopback, with the data folder's control token) to write it.
 */
export async function runBackup(config: Config, file: string, out: Out): Promise<void> {
  const target = resolve(file)
  let handle: Awaited<ReturnType<typeof openDatabase>>
  try {
    handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: 2 })
  } catch (err) {
    if (err instanceof DataDirLockedError) return askRunningServer(config, target, out)
    throw err
  }
  try {
    const manifest = await createBackup(handle, config, target)
    out(`backup: ${target} written (${summarise(manifest)})`)
    // The archive holds what DATA_DIR holds; a bucket's objects are backed up by the bucket itself.
    if (config.S3_BUCKET)
      out(
        `backup: uploaded files are in the bucket ${config.S3_BUCKET}, not in this archive: keep them with the bucket's versioning or replication`,
      )
  } catch (err) {
    throw err instanceof DatabaseDumpError ? new CliError(err.message) : err
  } finally {
    await handle.close()
  }
}

async function askRunningServer(config: Config, target: string, out: Out): Promise<void> {
  const token = readControlToken(config.DATA_DIR)
  if (!token)
    throw new CliError(
      `the server holds ${config.DATA_DIR} but left no control token: restart it and try again`,
    )
  const url = `http://127.0.0.1:${config.PORT}/internal/backup`
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ file: target }),
    })
  } catch {
    throw new CliError(
      `the server holds ${config.DATA_DIR} but does not answer on ${url} (is PORT the same?)`,
    )
  }
  const body = (await res.json().catch(() => ({}))) as { detail?: string; entries?: number }
  if (!res.ok) throw new CliError(`the running server refused the backup: ${body.detail ?? res.status}`)
  out(`backup: ${target} written by the running server (${body.entries} entries)`)
}

/** `nhipcau restore FILE`: into an empty data folder or an empty PostgreSQL database only. */
export async function runRestore(config: Config, file: string, out: Out): Promise<void> {
  try {
    const manifest = await restoreBackup(config, file)
    out(`restore: ${resolve(file)} restored (${summarise(manifest)}, made ${manifest.createdAt})`)
    out('restore: start the server: it applies any newer migrations on start')
  } catch (err) {
    if (
      err instanceof RestoreRefusedError ||
      err instanceof BackupArchiveError ||
      err instanceof DatabaseDumpError
    )
      throw new CliError(err.message)
    throw err
  }
}

/** `backup --into DIR`: a dated archive in DIR, then the rotation (what a nightly timer runs). */
export async function runScheduledBackup(
  config: Config,
  opts: { into: string; keepDaily: number; keepWeekly: number },
  out: Out,
): Promise<void> {
  const dir = resolve(opts.into)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await runBackup(config, join(dir, backupName(new Date())), out)
  const pruned = archivesToPrune(await readdir(dir), { daily: opts.keepDaily, weekly: opts.keepWeekly })
  for (const name of pruned) await rm(join(dir, name))
  out(
    `backup: kept the newest of ${opts.keepDaily} days and ${opts.keepWeekly} weeks; removed ${pruned.length}`,
  )
}

const count = (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 365)
    throw new CliError(`expected a whole number from 1 to 365, got ${value}`)
  return n
}

export function registerBackupCommands(program: Command, out: Out): void {
  program
    .command('backup')
    .argument('[file]', 'the archive to write (.tar.gz)')
    .option('--into <dir>', 'write a dated archive into this folder and rotate the folder instead')
    .option('--keep-daily <n>', 'with --into: keep the newest archive of this many days', count, 7)
    .option('--keep-weekly <n>', 'with --into: keep the newest archive of this many weeks', count, 4)
    .description(
      'back up the database, uploaded files and generated secrets into one archive, without stopping the server',
    )
    .action((file: string | undefined, opts: { into?: string; keepDaily: number; keepWeekly: number }) => {
      if (opts.into && !file) return runScheduledBackup(loadConfig(), { ...opts, into: opts.into }, out)
      if (file && !opts.into) return runBackup(loadConfig(), file, out)
      throw new CliError('give either a FILE or --into DIR')
    })
  program
    .command('restore')
    .argument('<file>', 'an archive written by `nhipcau backup`')
    .description('restore a backup into an empty DATA_DIR (embedded) or an empty database (DATABASE_URL)')
    .action((file: string) => runRestore(loadConfig(), file, out))
}
