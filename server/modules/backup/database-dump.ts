import { spawn } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createPglite, type DatabaseHandle } from '../../db/client'

/**
 * The database part of a backup. PGlite: the data folder as PGlite itself dumps it, taken inside
 * the server's process under PGlite's query lock, so it is consistent while the server runs.
 * PostgreSQL: `pg_dump --format=custom`, which reads one snapshot and does not stop the server.
 */
export const PGLITE_DUMP = 'database/pglite-datadir.tar.gz'
export const POSTGRES_DUMP = 'database/postgres.dump'

export class DatabaseDumpError extends Error {}

export async function dumpDatabase(handle: DatabaseHandle, databaseUrl: string | undefined, staging: string) {
  await mkdir(join(staging, 'database'), { recursive: true })
  if (handle.kind === 'pglite') {
    if (!handle.pglite) throw new DatabaseDumpError('the embedded database handle has no PGlite instance')
    const dump = await handle.pglite.dumpDataDir('gzip')
    await writeFile(join(staging, PGLITE_DUMP), Buffer.from(await dump.arrayBuffer()))
    return
  }
  if (!databaseUrl) throw new DatabaseDumpError('DATABASE_URL is needed to dump PostgreSQL')
  await run('pg_dump', databaseUrl, [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    `--file=${join(staging, POSTGRES_DUMP)}`,
  ])
}

/** Loads a PGlite dump into `pgDir`, which must not hold a database yet (the caller checks). */
export async function restorePglite(staging: string, pgDir: string): Promise<void> {
  const dump = new Blob([await readFile(join(staging, PGLITE_DUMP))])
  const pglite = await createPglite(pgDir, dump)
  await pglite.close()
}

/** Restores a custom-format dump into an empty PostgreSQL database, in one transaction. */
export async function restorePostgres(staging: string, databaseUrl: string): Promise<void> {
  await run('pg_restore', databaseUrl, [
    '--no-owner',
    '--no-privileges',
    '--single-transaction',
    '--exit-on-error',
    join(staging, POSTGRES_DUMP),
  ])
}

/**
 * Runs a PostgreSQL client tool on `databaseUrl`. The password goes in PGPASSWORD, not on the
 * command line, where any user of the machine could read it in the process list.
 */
function run(command: string, databaseUrl: string, args: string[]): Promise<void> {
  const url = new URL(databaseUrl)
  const password = decodeURIComponent(url.password)
  url.password = ''
  const env = password ? { ...process.env, PGPASSWORD: password } : process.env
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, `--dbname=${url.toString()}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new DatabaseDumpError(
          err.code === 'ENOENT'
            ? `${command} is not installed: install PostgreSQL's client tools (Debian: postgresql-client)`
            : `${command} failed to start: ${err.message}`,
        ),
      ),
    )
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new DatabaseDumpError(`${command} exited with code ${code}: ${redactUrl(stderr.trim())}`)),
    )
  })
}

/** Error text from the client tools may repeat the connection string: never print its password. */
const redactUrl = (text: string) => text.replace(/\/\/([^:@/\s]+):[^@/\s]+@/g, '//$1:***@')
