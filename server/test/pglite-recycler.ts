import type { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { createPglite, type DatabaseHandle, type Db } from '../db/client'
import * as schema from '../db/schema/index'

/**
 * Test files in one Vitest worker take turns on the same embedded databases. Loading the golden
 * dump costs each file ~1.5–2.5 s of CPU (untar, start Postgres, load four extensions); emptying a
 * database its previous file used costs ~0.2 s. A returned database is emptied to the golden state
 * (every table truncated, seeded rows and sequences put back) and re-used only when its schema is
 * still the golden one — a file that altered a table, trigger or function gets a fresh database.
 */
interface Golden {
  tables: string[]
  seeded: { table: string; rows: unknown[] }[]
  sequences: { name: string; value: string | null }[]
  fingerprint: string
}

const spare: PGlite[] = []
let golden: Golden | undefined

const FINGERPRINT_SQL = `select md5(coalesce(string_agg(x, ',' order by x), '')) as h from (
  select c.relname || ':' || c.relkind::text as x from pg_class c
    join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'
  union all select tgname || ':' || tgenabled::text from pg_trigger where not tgisinternal
  union all select p.proname || ':' || md5(p.prosrc) from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'
) s`

const quoted = (name: string) => `"public"."${name.replaceAll('"', '""')}"`

async function fingerprint(pglite: PGlite): Promise<string> {
  const { rows } = await pglite.query<{ h: string }>(FINGERPRINT_SQL)
  return rows[0]!.h
}

/** What "empty" means: read once per worker from a freshly loaded golden database. */
async function readGolden(pglite: PGlite): Promise<Golden> {
  const { rows } = await pglite.query<{ tablename: string }>(
    `select tablename from pg_tables where schemaname = 'public' order by tablename`,
  )
  const tables = rows.map((r) => r.tablename)
  const seeded: Golden['seeded'] = []
  for (const table of tables) {
    const res = await pglite.query<{ rows: unknown[] | null }>(
      `select json_agg(t) as rows from ${quoted(table)} t`,
    )
    const found = res.rows[0]?.rows
    if (found?.length) seeded.push({ table, rows: found })
  }
  const seq = await pglite.query<{ name: string; value: string | null }>(
    `select quote_ident(schemaname) || '.' || quote_ident(sequencename) as name, last_value::text as value
       from pg_sequences where schemaname = 'public'`,
  )
  return { tables, seeded, sequences: seq.rows, fingerprint: await fingerprint(pglite) }
}

/** Back to the golden state; false when the database can no longer be trusted to be golden. */
async function empty(pglite: PGlite, g: Golden): Promise<boolean> {
  try {
    await pglite.exec('rollback') // a file that failed inside a transaction
  } catch {
    // no transaction was open
  }
  if ((await fingerprint(pglite)) !== g.fingerprint) return false
  // replica: the append-only tables' TRUNCATE guards are triggers, and this is not the app.
  await pglite.exec(
    `set session_replication_role = replica;
     truncate ${g.tables.map(quoted).join(', ')} restart identity cascade;`,
  )
  for (const s of g.seeded) {
    await pglite.query(
      `insert into ${quoted(s.table)} select * from json_populate_recordset(null::${quoted(s.table)}, $1)`,
      [JSON.stringify(s.rows)],
    )
  }
  for (const s of g.sequences) {
    if (s.value === null) await pglite.query(`select setval($1, 1, false)`, [s.name])
    else await pglite.query(`select setval($1, $2::bigint, true)`, [s.name, s.value])
  }
  // Session state a file may have left: settings, listeners, prepared statements, advisory locks.
  await pglite.exec('discard all')
  return true
}

/**
 * The file's view of a shared instance: once the file closes it, every call fails as on a closed
 * PGlite, so a late timer of one file can never write into the next file's database.
 */
function handleFor(pglite: PGlite): DatabaseHandle {
  let closed = false
  const view = new Proxy(pglite, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (closed) return Promise.reject(new Error('PGlite is closed'))
        return value.apply(target, args)
      }
    },
  })
  const db = drizzle(view, { schema }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    pglite: view,
    close: async () => {
      if (closed) return
      closed = true
      if (golden && (await empty(pglite, golden).catch(() => false))) spare.push(pglite)
      else await pglite.close()
    },
  }
}

/** A golden embedded database: one a previous file emptied, or a new one from the dump. */
export async function goldenPglite(dump: () => Blob): Promise<DatabaseHandle> {
  const reused = spare.pop()
  if (reused) return handleFor(reused)
  const pglite = await createPglite('memory://', dump())
  golden ??= await readGolden(pglite)
  return handleFor(pglite)
}
