import { createHash } from 'node:crypto'
import { getTableColumns, type InferSelectModel, type SQL, sql, type Table } from 'drizzle-orm'
import type { Db, DbOrTx } from './client'
import { driverClient } from './embedded'

/**
 * Runs raw SQL and returns its rows. PGlite and node-postgres both answer with `{ rows }`;
 * cast bigint results with ::int in SQL, because the two drivers return int8 differently.
 */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] }
  return res.rows
}

/** What drizzle keeps inside a database or transaction: its dialect and the session that runs queries. */
interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } }
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string | undefined,
      arrayMode: boolean,
    ): { execute(): Promise<unknown> }
  }
}

/** Statement names by text: one name per text, so a connection never sees one name with two texts. */
const statementNames = new Map<string, string>()
const MAX_STATEMENT_NAMES = 500

function statementName(text: string): string {
  let name = statementNames.get(text)
  if (!name) {
    name = `nc_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
    if (statementNames.size >= MAX_STATEMENT_NAMES) statementNames.clear()
    statementNames.set(text, name)
  }
  return name
}

/**
 * `queryRows` as a named prepared statement: on PostgreSQL each pool connection parses the text
 * once and, once the server settles on a generic plan, stops planning it (for the hot statements of
 * a send, planning costs more than running). Only for statements whose text has a fixed shape
 * (values as parameters, no lists spelled out), so each connection keeps a few of them. PGlite
 * ignores the name and runs it like `queryRows`.
 */
export async function queryRowsPrepared<T extends Record<string, unknown>>(
  db: DbOrTx,
  query: SQL,
): Promise<T[]> {
  const { dialect, session } = db as unknown as DrizzleInternals
  const built = dialect.sqlToQuery(query)
  const res = (await session.prepareQuery(built, undefined, statementName(built.sql), false).execute()) as {
    rows: T[]
  }
  return res.rows
}

/** A list of uuids as one `uuid[]` parameter: `where id = any(${uuidArray(ids)})`. */
export const uuidArray = (ids: readonly string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`

/**
 * A row of `table` read as JSON (`row_to_json(t)` inside a larger statement), mapped as drizzle
 * maps its own selects: camelCase keys, timestamps as Date, arrays and JSON as values.
 */
export function fromJsonRow<T extends Table>(table: T, json: Record<string, unknown>): InferSelectModel<T> {
  const row: Record<string, unknown> = {}
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name]
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value)
  }
  return row as InferSelectModel<T>
}

/**
 * Runs a script of parameterless statements in one round trip, as one implicit transaction (the
 * simple query protocol), and returns the rows of its last statement. Each statement of the
 * script takes its own snapshot, as in any read-committed transaction.
 */
export async function runScript<T extends Record<string, unknown>>(db: Db, script: string): Promise<T[]> {
  // PGlite takes a script through exec(); node-postgres through a query without parameters.
  const client = driverClient(db) as { exec?: (q: string) => Promise<{ rows: T[] }[]> }
  const results = client.exec
    ? await client.exec(script)
    : ((await db.execute(sql.raw(script))) as unknown as { rows: T[] } | { rows: T[] }[])
  const list = Array.isArray(results) ? results : [results]
  return list.at(-1)?.rows ?? []
}
