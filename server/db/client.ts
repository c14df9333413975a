import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock'
import { guardCheckouts } from './pool-guard'
import { ConnectionReachability, type DatabaseReachability } from './reachability'
import * as schema from './schema/index'

export type Schema = typeof schema
/** The one database type the app sees; PGlite and node-postgres both satisfy it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>
/** Repositories accept either the database or an open transaction. */
export type DbOrTx = Db | Tx

export interface DatabaseHandle {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Only for PGlite: the embedded instance (tests dump and clone it). */
  pglite?: PGlite
  /** Only for PostgreSQL: whether its connections reach the server (the embedded one always does). */
  reachability?: DatabaseReachability
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined
  /** Folder for the embedded database; `memory://` keeps it in memory. */
  dataDir: string
  /** A pre-migrated data dir tarball to start from (test harness). */
  loadDataDir?: Blob | File
  poolMax?: number
  /** How long a request waits for a new PostgreSQL connection before it fails (503). */
  connectTimeoutMs?: number
}

/** A PostgreSQL that does not answer makes requests fail in this time instead of hanging. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite in DATA_DIR/pg with its own lock file. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolMax ?? 10, opts.connectTimeoutMs)
  return openPglite(opts.dataDir, opts.loadDataDir)
}

async function openPostgres(
  url: string,
  max: number,
  connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  // keepAlive: a connection to a PostgreSQL host that vanished is noticed by the kernel and
  // replaced, rather than kept in the pool until a request hangs on it.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  })
  const reachability = new ConnectionReachability()
  pool.on('error', (err) => {
    // An idle client lost its connection; the pool replaces it. Queries in flight get their own error.
    reachability.failed(err)
  })
  // A checked-out client (a transaction in flight) whose connection drops emits 'error' too; the
  // pool only listens while it is idle, so without this an unhandled 'error' event would crash the
  // process. Its query already fails (answered 503) and the pool discards the dead client on release.
  pool.on('connect', (client) => {
    reachability.connected()
    client.on('error', (err) => reachability.failed(err))
  })
  const guarded = guardCheckouts(pool, (err) => reachability.failed(err))
  const db = drizzle(pool, { schema }) as unknown as Db
  return { db, kind: 'postgres', reachability, close: () => guarded.end() }
}

export async function createPglite(dataDir: string, loadDataDir?: Blob | File): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent')
  const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto')
  const { btree_gin } = await import('@electric-sql/pglite/contrib/btree_gin')
  return PGlite.create(dataDir, {
    extensions: { pg_trgm, unaccent, pgcrypto, btree_gin },
    ...(loadDataDir ? { loadDataDir } : {}),
  })
}

async function openPglite(dataDir: string, loadDataDir?: Blob | File): Promise<DatabaseHandle> {
  const { drizzle } = await import('drizzle-orm/pglite')
  let lock: DataDirLock | undefined
  let location = dataDir
  if (!dataDir.startsWith('memory://')) {
    const dir = resolve(dataDir)
    mkdirSync(dir, { recursive: true })
    // PGlite takes no lock itself; two processes on one folder would corrupt it.
    lock = acquireDataDirLock(dir)
    location = resolve(dir, 'pg')
  }
  try {
    const pglite = await createPglite(location, loadDataDir)
    const db = drizzle(pglite, { schema }) as unknown as Db
    return {
      db,
      kind: 'pglite',
      pglite,
      close: async () => {
        await pglite.close()
        lock?.release()
      },
    }
  } catch (err) {
    lock?.release()
    throw err
  }
}
