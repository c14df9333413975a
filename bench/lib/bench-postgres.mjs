// BENCH_DATABASE_URL (a PostgreSQL server) for the benches that run the server as a process: the bench
// makes a database of its own there and drops it at the end. Without it they use the embedded PGlite.
// On PostgreSQL the server's RSS holds Node alone, and a killed server leaves the database running.
import pg from 'pg'

const server = process.env.BENCH_DATABASE_URL ?? ''

async function admin(statement) {
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** `{ url, engine, label, drop() }`; url is '' for the embedded database. */
export async function benchDatabase(name) {
  if (!server) return { url: '', engine: 'pglite', label: 'PGlite (embedded)', drop: async () => {} }
  const dbName = `nhipcau_bench_${name}_${process.pid}`
  await admin(`create database "${dbName}"`)
  const u = new URL(server)
  u.pathname = `/${dbName}`
  return {
    url: u.toString(),
    engine: 'postgresql',
    label: 'PostgreSQL',
    drop: () => admin(`drop database if exists "${dbName}" with (force)`),
  }
}
