import pg from 'pg'

/**
 * How many tables of NhipCau's (its schema and the migration history) a PostgreSQL database holds:
 * a restore goes only into a database where this is 0. A connection of its own, because the
 * restore runs before any app (and its pool) exists.
 */
export async function countApplicationTables(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from information_schema.tables where table_schema in ('public', 'drizzle')",
    )
    return rows[0]?.n ?? 0
  } finally {
    await client.end()
  }
}
