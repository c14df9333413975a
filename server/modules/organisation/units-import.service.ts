import { slugify } from '@common/text/fold'
import type { DbOrTx } from '../../db/client'
import { type AuditContext, audit, systemAuditContext } from '../audit/audit.service'
import { type HierarchyLevelRow, hierarchyRepository } from './hierarchy.repository'
import { type NewUnit, type UnitRow, unitsRepository } from './units.repository'
import { type ImportProblem, type ImportRow, readCsvUnits, readJsonUnits } from './units-import.rows'

export type UnitFileFormat = 'csv' | 'json'

export interface ImportItem {
  line: number
  /** The unit's code, or its slug when it has none. */
  key: string
  name: string
}

export interface ImportReport {
  dryRun: boolean
  created: ImportItem[]
  updated: (ImportItem & { changes: string[] })[]
  unchanged: ImportItem[]
  /** When not empty, nothing was written. */
  problems: ImportProblem[]
}

type Fields = Omit<NewUnit, 'id' | 'path' | 'createdAt' | 'updatedAt'>
const compared = [
  'code',
  'slug',
  'parentId',
  'level',
  'kind',
  'name',
  'address',
  'phone',
  'validFrom',
  'validTo',
  'householdCount',
  'residentCount',
  'geometry',
] as const satisfies readonly (keyof Fields)[]

/** Stable JSON (sorted keys): jsonb does not keep key order, so geometry is compared this way. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  )

class Rollback extends Error {}

/**
 * Plans against the database and applies the plan, all in one transaction (a savepoint when `db` is
 * already a transaction): a bad row writes nothing.
 */
export async function importUnits(
  db: DbOrTx,
  text: string,
  opts: { format: UnitFileFormat; dryRun?: boolean; audit?: AuditContext },
): Promise<ImportReport> {
  const parsed = opts.format === 'csv' ? readCsvUnits(text) : readJsonUnits(text)
  const report: ImportReport = {
    dryRun: !!opts.dryRun,
    created: [],
    updated: [],
    unchanged: [],
    problems: [],
  }
  if (parsed.problems.length) return { ...report, problems: sortProblems(parsed.problems) }
  try {
    await db.transaction(async (tx) => {
      const problems = await applyRows(tx, parsed.rows, report)
      if (problems.length || opts.dryRun) {
        report.problems = sortProblems(problems)
        throw new Rollback()
      }
      if (report.created.length || report.updated.length) {
        await audit.record(tx, opts.audit ?? systemAuditContext(), {
          action: 'unit.import',
          entityType: 'unit',
          details: {
            created: report.created.length,
            updated: report.updated.length,
            unchanged: report.unchanged.length,
          },
        })
      }
    })
  } catch (err) {
    if (!(err instanceof Rollback)) throw err
  }
  if (report.problems.length) return { ...report, created: [], updated: [], unchanged: [] }
  return report
}

const sortProblems = (p: ImportProblem[]) => [...p].sort((a, b) => a.line - b.line)

async function applyRows(tx: DbOrTx, rows: ImportRow[], report: ImportReport): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = []
  const levels = new Map((await hierarchyRepository.list(tx)).map((l) => [l.key, l]))
  checkLevels(rows, levels, problems)
  if (problems.length) return problems
  const duplicates = checkDuplicates(rows, problems)

  const keys = new Set<string>()
  for (const r of rows)
    for (const k of [r.code, r.slug, r.parent, r.code ? null : slugify(r.name)]) if (k) keys.add(k)
  const existing = await unitsRepository.findByKeys(tx, [...keys])
  const byCode = new Map(existing.filter((u) => u.code).map((u) => [u.code!, u]))
  const bySlug = new Map(existing.map((u) => [u.slug, u]))
  const paths = new Map(existing.map((u) => [u.id, u.path]))
  const levelOf = new Map(existing.map((u) => [u.id, u.level]))
  /** File keys (code and slug) → the id the row's unit has or will have. */
  const fileIds = new Map<string, string>()
  /** New units, written together at the end (parents first; foreign keys are checked per statement). */
  const inserts: (NewUnit & { id: string; path: string })[] = []
  const updates: { id: string; oldPath: string; path: string; fields: Fields }[] = []

  const sorted = [...rows].sort(
    (a, b) => levels.get(a.level)!.position - levels.get(b.level)!.position || a.line - b.line,
  )
  for (const row of sorted) {
    if (duplicates.has(row.line)) continue
    const match = matchRow(row, byCode, bySlug, problems)
    if (match === 'error') continue
    const id = match?.id ?? crypto.randomUUID()
    const slug = row.slug ?? match?.slug ?? slugify(row.name)
    if (!match && bySlug.has(slug)) {
      problems.push({ line: row.line, field: 'slug', code: 'slug_taken', vars: { slug } })
      continue
    }
    if (row.code) fileIds.set(row.code, id)
    fileIds.set(slug, id)

    const parentId = resolveParent(row, fileIds, byCode, bySlug, problems)
    if (parentId === 'error') continue
    const level = levels.get(row.level)!
    if (parentId) {
      const parentLevel = levels.get(levelOf.get(parentId) ?? '')
      if (!parentLevel || parentLevel.position >= level.position) {
        problems.push({
          line: row.line,
          field: 'parent',
          code: 'parent_level',
          vars: { parent: row.parent ?? '' },
        })
        continue
      }
    } else if (level.position !== topPosition(levels)) {
      problems.push({ line: row.line, field: 'parent', code: 'parent_required' })
      continue
    }
    levelOf.set(id, row.level)
    const fields: Fields = {
      code: row.code ?? match?.code ?? null,
      slug,
      parentId,
      level: row.level,
      kind: row.kind,
      name: row.name,
      address: row.address,
      phone: row.phone,
      validFrom: row.validFrom,
      validTo: row.validTo,
      householdCount: row.householdCount,
      residentCount: row.residentCount,
      geometry: row.geometry,
    }
    const item: ImportItem = { line: row.line, key: fields.code ?? slug, name: row.name }
    const path = `${parentId ? paths.get(parentId)! : '/'}${id}/`
    if (!match) {
      report.created.push(item)
      paths.set(id, path)
      inserts.push({ ...fields, id, path })
      continue
    }
    const changes = compared.filter((f) => canonical(fields[f] ?? null) !== canonical(match[f] ?? null))
    const oldPath = paths.get(id)!
    if (!changes.length && oldPath === path) {
      report.unchanged.push(item)
      continue
    }
    report.updated.push({ ...item, changes: changes.map((c) => (c === 'parentId' ? 'parent' : c)) })
    if (oldPath !== path) {
      for (const [k, p] of paths) if (p.startsWith(oldPath)) paths.set(k, path + p.slice(oldPath.length))
    }
    updates.push({ id, oldPath, path, fields })
  }
  if (problems.length) return problems
  // New units first: a unit may move under one created by this same file.
  await unitsRepository.insertMany(tx, inserts)
  for (const u of updates) {
    if (u.oldPath !== u.path) await unitsRepository.movePaths(tx, u.oldPath, u.path)
    await unitsRepository.update(tx, u.id, u.fields)
  }
  return problems
}

const topPosition = (levels: Map<string, HierarchyLevelRow>) =>
  Math.min(...[...levels.values()].filter((l) => l.enabled).map((l) => l.position))

function checkLevels(rows: ImportRow[], levels: Map<string, HierarchyLevelRow>, problems: ImportProblem[]) {
  for (const row of rows) {
    const level = levels.get(row.level)
    if (!level)
      problems.push({ line: row.line, field: 'level', code: 'unknown_level', vars: { level: row.level } })
    else if (!level.enabled)
      problems.push({ line: row.line, field: 'level', code: 'level_disabled', vars: { level: row.level } })
    else if (level.kinds.length && !level.kinds.some((k) => k.key === row.kind)) {
      problems.push({
        line: row.line,
        field: 'kind',
        code: 'unknown_kind',
        vars: { kind: row.kind, level: row.level, kinds: level.kinds.map((k) => k.key).join(', ') },
      })
    }
  }
}

/** The same code or slug twice in one file: the later line is reported, naming the earlier one. */
function checkDuplicates(rows: ImportRow[], problems: ImportProblem[]): Set<number> {
  const seen = new Map<string, number>()
  const lines = new Set<number>()
  for (const row of rows) {
    const slug = row.slug ?? (row.code ? null : slugify(row.name))
    for (const [field, key] of [
      ['code', row.code],
      ['slug', slug],
    ] as const) {
      if (!key) continue
      const first = seen.get(`${field}:${key}`)
      if (first) {
        problems.push({ line: row.line, field, code: 'duplicate', vars: { value: key, other: first } })
        lines.add(row.line)
      } else seen.set(`${field}:${key}`, row.line)
    }
  }
  return lines
}

/** The existing unit a row stands for: by code first, then by slug; a slug held by another coded unit is an error. */
function matchRow(
  row: ImportRow,
  byCode: Map<string, UnitRow>,
  bySlug: Map<string, UnitRow>,
  problems: ImportProblem[],
): UnitRow | undefined | 'error' {
  const coded = row.code ? byCode.get(row.code) : undefined
  const slugged = row.slug ? bySlug.get(row.slug) : row.code ? undefined : bySlug.get(slugify(row.name))
  if (coded && slugged && coded.id !== slugged.id) {
    problems.push({ line: row.line, field: 'slug', code: 'slug_taken', vars: { slug: slugged.slug } })
    return 'error'
  }
  if (!coded && slugged && row.code && slugged.code && slugged.code !== row.code) {
    problems.push({ line: row.line, field: 'slug', code: 'slug_taken', vars: { slug: slugged.slug } })
    return 'error'
  }
  return coded ?? slugged
}

function resolveParent(
  row: ImportRow,
  fileIds: Map<string, string>,
  byCode: Map<string, UnitRow>,
  bySlug: Map<string, UnitRow>,
  problems: ImportProblem[],
): string | null | 'error' {
  if (!row.parent) return null
  const id = fileIds.get(row.parent) ?? byCode.get(row.parent)?.id ?? bySlug.get(row.parent)?.id
  if (id) return id
  problems.push({ line: row.line, field: 'parent', code: 'parent_not_found', vars: { parent: row.parent } })
  return 'error'
}
