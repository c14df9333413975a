// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are source lines that hold `${…}` as text
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs module of the lint scripts, without type declarations
import { pathPrefixSqlLines } from './lib/path-sql-rule.mjs'

const root = resolve(import.meta.dirname, '..')
const flags = (line: string) => (pathPrefixSqlLines(line) as number[]).length > 0

describe('the path-prefix SQL rule of check-layers', () => {
  // Each line is one that modules wrote before the scope layer held all path SQL (issue #11).
  const before = [
    "sql`${path} like ${units.path} || '%'`,",
    "                and a.path like ${path} || '%') as areas",
    "where a.level = 'residential_group' and a.path like u.path || '%' order by a.name`,",
    "where cr.deleted_at is null and ${c.areaPath ?? ''} like u.path || '%' order by cr.title`,",
    "where c.kind = 'direct' and c.assignee_id is null and c.area_path like u.path || '%'",
    'rootPath ? like(units.path, `${rootPath}%`) : undefined,',
    '? sql`u.path like any(${`{${unitPaths.map((p) => `"${p}%"`).join(\',\')}}`}::text[])`',
    'targets.map((t) => sql`g.unit_path like ${`${t.path}%`}`),',
    "and (t.unit_path like ${`${unitPath}%`} or ${unitPath} like t.unit_path || '%')))`",
    'sql`starts_with(${areaPath}, u.path)`',
    'sql`u.path ^@ ${root}`',
    'const pattern = `${area.path}%`',
  ]
  it.each(before)('flags %s', (line) => {
    expect(flags(line)).toBe(true)
  })

  const fine = [
    // Text search is a LIKE, but not on a path.
    "and lower(f_unaccent(sm.body)) like '%' || lower(f_unaccent(${q})) || '%')",
    '? like(auditLog.action, `${escapeLike(f.action)}%`)',
    // A comment may talk about paths like anything else.
    ' * A unit path like "/a/b/" is materialised, so a prefix match finds its subtree.',
    '// a.path like u.path || the old way',
    // A regular expression's `[^@` is not PostgreSQL's starts-with operator.
    "text.replace(/\\/\\/([^:@/\\s]+):[^@/\\s]+@/g, '//$1:***@')",
    // Equality on a path, and the helpers themselves, are how modules should do it.
    'where(eq(units.path, path))',
    'sql`${underAnyPath(sql`g.unit_path`, paths)}`',
  ]
  it.each(fine)('lets %s pass', (line) => {
    expect(flags(line)).toBe(false)
  })

  it('reports the line number of the offending line', () => {
    expect(pathPrefixSqlLines("import x\n// a comment\nsql`a.path like ${p} || '%'`\n")).toEqual([3])
  })
})

describe('check-layers as run by npm run lint', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'check-layers-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  const run = (cwd: string) =>
    spawnSync(process.execPath, [join(cwd, 'scripts/check-layers.mjs')], { cwd, encoding: 'utf8' })

  it('passes on this checkout: no module writes its own path-prefix SQL', () => {
    const result = run(root)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('fails when a repository writes path-prefix SQL, naming the file and line, and passes for the helper file', () => {
    for (const f of ['scripts/check-layers.mjs', 'scripts/lib/path-sql-rule.mjs'])
      cpSync(join(root, f), join(scratch, f), { recursive: true })
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(scratch, file)), { recursive: true })
      writeFileSync(join(scratch, file), text)
    }
    write(
      'server/db/unit-path-sql.ts',
      "export const under = (c: string) => `${c} like 'x' || '%' /* path */`\n",
    )
    write(
      'server/modules/areas/areas.repository.ts',
      "const q = (path: string) => sql`select id from units u\n  where u.path like ${path} || '%'`\n",
    )
    execFileSync('git', ['init', '-q'], { cwd: scratch })
    const result = run(scratch)
    expect(result.status).toBe(1)
    const pathProblems = result.stderr.split('\n').filter((l) => l.includes('path-prefix SQL'))
    expect(pathProblems).toEqual([
      expect.stringContaining(
        'server/modules/areas/areas.repository.ts: path-prefix SQL is written in server/db/unit-path-sql.ts only',
      ),
    ])
    expect(pathProblems[0]).toContain('(line 2)')
  })
})
