import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
// Inside the repo, so the scratch schema resolves drizzle-orm from the project's node_modules.
mkdirSync(join(root, '.tmp'), { recursive: true })
const dir = mkdtempSync(join(root, '.tmp', 'drift-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const schemaFile = join(dir, 'schema.ts')
const migrations = join(dir, 'migrations')
const rel = (p: string) => `./${relative(root, p)}`

const writeSchema = (columns: string) =>
  writeFileSync(
    schemaFile,
    `import { pgTable, text, uuid } from 'drizzle-orm/pg-core'\nexport const notes = pgTable('notes', { id: uuid().primaryKey(), ${columns} })\n`,
  )

const run = (cmd: string[]) => spawnSync(process.execPath, cmd, { cwd: root, encoding: 'utf8' })
const checkDrift = () =>
  run([
    'scripts/check-drift.mjs',
    `--schema=${rel(schemaFile)}`,
    `--migrations=${relative(root, migrations)}`,
  ])

describe('db:check-drift', () => {
  it('passes when the migrations match the schema and fails, naming the files, when they do not', () => {
    writeSchema("body: text('body')")
    const generated = run([
      'node_modules/drizzle-kit/bin.cjs',
      'generate',
      '--dialect=postgresql',
      `--schema=${rel(schemaFile)}`,
      `--out=${relative(root, migrations)}`,
    ])
    expect(generated.status, generated.stderr).toBe(0)

    const clean = checkDrift()
    expect(clean.stderr).toBe('')
    expect(clean.status).toBe(0)

    writeSchema("body: text('body'), title: text('title')")
    const drifted = checkDrift()
    expect(drifted.status).toBe(1)
    expect(drifted.stderr).toContain('the schema and the committed migrations differ')
    expect(drifted.stderr).toMatch(/new\s+0001_\w+\.sql/)
  }, 60_000)
})
