// `npm run db:check-drift`: fails when the Drizzle schema and the committed migrations disagree.
// drizzle-kit regenerates into a scratch copy of the migrations folder (the working tree is never
// touched, so a check cannot leave a stray migration behind); any new or changed file is drift.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const root = resolve(import.meta.dirname, '..')
// The flags exist for this script's own test; CI uses the defaults.
const { values: args } = parseArgs({
  options: {
    schema: { type: 'string', default: './server/db/schema/index.ts' },
    migrations: { type: 'string', default: 'server/db/migrations' },
  },
})
const committed = resolve(root, args.migrations)
const scratchRoot = mkdtempSync(join(tmpdir(), 'nhipcau-drift-'))
const scratch = join(scratchRoot, 'migrations')

try {
  cpSync(committed, scratch, { recursive: true })
  const drizzleKit = join(root, 'node_modules', 'drizzle-kit', 'bin.cjs')
  // drizzle-kit prefixes "./" to --out, so it must be relative to the working directory.
  const res = spawnSync(
    process.execPath,
    [
      drizzleKit,
      'generate',
      '--dialect=postgresql',
      `--schema=${args.schema}`,
      `--out=${relative(root, scratch)}`,
      '--casing=snake_case',
    ],
    { cwd: root, encoding: 'utf8' },
  )
  if (res.status !== 0) {
    process.stderr.write(res.stdout + res.stderr)
    process.stderr.write('db:check-drift: drizzle-kit generate failed\n')
    process.exit(1)
  }
  const differences = compareTrees(committed, scratch)
  if (differences.length === 0) {
    process.stdout.write('db:check-drift: the schema matches the committed migrations\n')
  } else {
    process.stderr.write(
      'db:check-drift: the schema and the committed migrations differ:\n' +
        differences.map((d) => `  ${d}`).join('\n') +
        '\nRun `npx drizzle-kit generate --name=<change>` and commit the new migration.\n',
    )
    process.exit(1)
  }
} finally {
  rmSync(scratchRoot, { recursive: true, force: true })
}

function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)]
  })
}

function compareTrees(a, b) {
  const left = new Set(listFiles(a))
  const right = new Set(listFiles(b))
  const out = []
  for (const f of right) {
    if (!left.has(f)) out.push(`new       ${f}`)
    else if (!readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) out.push(`changed   ${f}`)
  }
  for (const f of left) if (!right.has(f)) out.push(`missing   ${f}`)
  return out.sort()
}
