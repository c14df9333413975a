import pg from 'pg'

/** Runs statements (CREATE/DROP DATABASE) on the server's maintenance connection. */
export async function withAdminClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** One template per Vitest run and project (the `server` and `slow` projects each migrate their own). */
export const goldenDatabaseName = (project: string) => `nhipcau_golden_${process.pid}_${project}`
