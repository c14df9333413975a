// `npm run test:pg`: the same Vitest suite against PostgreSQL. DATABASE_URL names a server and a
// maintenance database; the harness creates a template database and one database per test file
// from it, and drops them afterwards. Extra arguments go to Vitest (`npm run test:pg -- server/db`).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

const defaultUrl = 'postgres://postgres@127.0.0.1:5432/postgres'
const url = process.env.DATABASE_URL || defaultUrl
const shown = url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')

const { default: pg } = await import('pg')
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
try {
  await client.connect()
  const { rows } = await client.query(
    "select current_setting('server_version') as version, (rolcreatedb or rolsuper) as can_create from pg_roles where rolname = current_user",
  )
  if (!rows[0]?.can_create) {
    throw new Error(
      'this role may not create databases (the harness makes one per test file): grant it CREATEDB',
    )
  }
  process.stdout.write(`test:pg: PostgreSQL ${rows[0].version} at ${shown}\n`)
} catch (err) {
  process.stderr.write(
    `test:pg: cannot use PostgreSQL at ${shown}: ${err.message}\n` +
      `Set DATABASE_URL to a server where this role may create databases${process.env.DATABASE_URL ? '' : ` (default ${defaultUrl})`}.\n`,
  )
  process.exit(1)
} finally {
  await client.end().catch(() => undefined)
}

const require = createRequire(import.meta.url)
const vitest = resolve(require.resolve('vitest/package.json'), '..', 'vitest.mjs')
const child = spawn(process.execPath, [vitest, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
