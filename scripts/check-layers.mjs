// `npm run lint` runs this after Biome: the layering rules of docs/ARCHITECTURE.md, held by a check.
//   1. web/ and common/ never import server/.
//   2. A route file (*.routes.ts) imports repositories of its own module only; other modules are
//      reached through their services.
//   3. SQL is built in repositories (*.repository.ts) and server/db/ only (and a policy's list
//      filters, server/lib/scope.ts): elsewhere, no value import from drizzle-orm (its sql tag or
//      query-builder operators) and no raw-SQL helper from db/query.
//   4. Path-prefix SQL ("this unit path lies under that one": `like … || '%'`, starts_with) is
//      written in server/db/unit-path-sql.ts only; everything else composes its helpers
//      (scripts/lib/path-sql-rule.mjs, tested in scripts/check-layers.test.ts).
// Known violations are listed in ALLOWED with the reason. The list is a ratchet: it may only shrink,
// and the check fails when a listed file no longer breaks its rule, so the list stays true.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { PATH_SQL_HOME, pathPrefixSqlLines } from './lib/path-sql-rule.mjs'

/** rule → file → why it is allowed for now. */
const ALLOWED = {
  sql: {
    // Being refactored into one shared row scope by other work (review: "SQL twins of the policies").
    'server/modules/messaging/inbox.service.ts': 'scope SQL, being moved to a shared row scope',
    'server/modules/messaging/group.service.ts': 'scope SQL, being moved to a shared row scope',
    // Not yet moved into their module's repository.
    'server/modules/tips/evidence.routes.ts': 'evidence lookup in the route',
    'server/modules/tips/area-resolver.ts': 'area lookup by point',
    'server/modules/procedures/search/search-index.ts': 'the search index builds its own SQL',
    'server/modules/notifications/vapid-keys.ts': 'keys stored with raw SQL',
    'server/modules/messaging/notification-recipients.ts': 'recipient query',
    'server/modules/messaging/conversation.service.ts': 'queries in the service',
    'server/modules/messaging/conversation.queries.ts': 'a repository under another name',
    'server/modules/alerts/answer-sink.ts': 'answer routing query',
    'server/modules/alerts/alerts.realtime.ts': 'room authorisation queries',
    'server/modules/alerts/alert-versions.ts': 'version rows',
    'server/modules/alerts/alert-scope.service.ts': 'exports two repositories from a service file',
    'server/modules/alerts/alert-delivery.ts': 'writes into messaging (review defect 4)',
    'server/modules/dashboard/dashboard.definitions.ts': 'figure definitions as SQL, new with the dashboard',
    'server/modules/dashboard/dashboard.service.ts': 'figure queries in the service, new with the dashboard',
    'server/jobs/pg-job-queue.ts': 'the job queue is its own storage layer on PostgreSQL',
    'server/jobs/job-outcomes.ts': "the job queue's outcome writes, split out of pg-job-queue.ts",
    'server/cli/database.ts': 'the CLI resets the database',
    'server/cli/create-admin.command.ts': 'the CLI writes the first administrator',
    'server/seed/seed-if-empty.ts': 'checks whether the database is empty',
    'server/seed/scale/bulk.ts': 'the scale seed writes rows in bulk',
    'server/seed/scale/scale-messaging.ts': 'the scale seed writes rows in bulk',
  },
  'route-repository': {
    'server/modules/account/account.routes.ts': "lists and revokes sessions through auth's repository",
    'server/modules/open311/open311.routes.ts':
      "reads tips through tips' repository (review: open311 → tips)",
    'server/modules/procedures/procedures.routes.ts': "finds units through organisation's repository",
  },
  'server-import': {},
  'path-sql': {},
}

const messages = {
  'server-import': 'web/ and common/ must not import server/',
  'route-repository': "a route must not import another module's repository: call that module's service",
  sql: 'SQL is built in repositories and server/db only: move the query into the module repository',
  'path-sql': `path-prefix SQL is written in ${PATH_SQL_HOME} only: use its helpers (underAnyPath, pathUnder, pathAbove, staffOver)`,
}

const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'server', 'web', 'common'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /\.(ts|tsx|mts)$/.test(f))
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/gm
const ALIASES = { '@server/': 'server/', '@web/': 'web/', '@common/': 'common/' }
const isTest = (f) => /\.test\.tsx?$/.test(f) || f.startsWith('server/test/') || f.startsWith('web/test/')
const moduleOf = (f) => /^server\/modules\/([^/]+)\//.exec(f)?.[1]

function resolve(from, spec) {
  for (const [alias, dir] of Object.entries(ALIASES))
    if (spec.startsWith(alias)) return dir + spec.slice(alias.length)
  return spec.startsWith('.') ? normalize(join(dirname(from), spec)) : null
}

const found = [] // [rule, file, detail]
for (const file of files) {
  const src = readFileSync(file, 'utf8')
  if (!isTest(file) && file !== PATH_SQL_HOME)
    for (const line of pathPrefixSqlLines(src)) found.push(['path-sql', file, `line ${line}`])
  for (const [, typeOnly, names, spec] of src.matchAll(IMPORT)) {
    const target = resolve(file, spec)
    if ((file.startsWith('web/') || file.startsWith('common/')) && target?.startsWith('server/'))
      found.push(['server-import', file, spec])
    if (isTest(file)) continue
    if (file.endsWith('.routes.ts') && target && /\.repository(\.ts)?$/.test(target)) {
      const own = moduleOf(file)
      const other = moduleOf(target)
      if (other && other !== own) found.push(['route-repository', file, spec])
    }
    const buildsSql =
      !typeOnly &&
      (spec === 'drizzle-orm' || spec.startsWith('drizzle-orm/')) &&
      spec !== 'drizzle-orm/errors' &&
      names
        .replace(/[{}]/g, '')
        .split(',')
        .some((n) => n.trim() && !n.trim().startsWith('type '))
    const rawSql = !typeOnly && target && /(^|\/)server\/db\/query(\.ts)?$/.test(target)
    // A policy declares the row filter of its list rules beside the rules (server/lib/scope.ts).
    const dataLayer =
      file.endsWith('.repository.ts') || file.startsWith('server/db/') || file.endsWith('.policy.ts')
    if ((buildsSql || rawSql) && !dataLayer) found.push(['sql', file, spec])
  }
}

const problems = []
const seen = new Set()
for (const [rule, file, detail] of found) {
  seen.add(`${rule} ${file}`)
  if (!ALLOWED[rule][file])
    problems.push(`${file}: ${messages[rule]} (${rule === 'path-sql' ? detail : `imports ${detail}`})`)
}
for (const [rule, list] of Object.entries(ALLOWED))
  for (const file of Object.keys(list))
    if (!seen.has(`${rule} ${file}`))
      problems.push(`${file}: no longer breaks "${rule}"; remove it from ALLOWED in scripts/check-layers.mjs`)

if (problems.length) {
  process.stderr.write(
    `check-layers: ${problems.length} problem(s)\n${[...new Set(problems)].map((p) => `  ${p}`).join('\n')}\n`,
  )
  process.exit(1)
}
process.stdout.write(`check-layers: ${files.length} files follow the layering rules\n`)
