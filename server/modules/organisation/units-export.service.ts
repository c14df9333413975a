import type { DbOrTx } from '../../db/client'
import { notFound } from '../../lib/errors'
import { toCsv } from './csv'
import { unitsRepository } from './units.repository'
import { type UnitFileColumn, unitFileColumns } from './units-import.rows'

/**
 * Writes a subtree (or the whole tree) in the import format: parents before children, each parent
 * named by its code (or slug when it has none), so exporting and importing again changes nothing.
 */
export async function exportUnits(
  db: DbOrTx,
  opts: { format: 'csv' | 'json'; rootSlug?: string | undefined },
): Promise<string> {
  let rootPath: string | null = null
  if (opts.rootSlug) {
    const root = await unitsRepository.findBySlug(db, opts.rootSlug)
    if (!root) throw notFound('organisation.unit_not_found')
    rootPath = root.path
  }
  const list = await unitsRepository.listSubtree(db, rootPath)
  const keyOf = new Map(list.map((u) => [u.id, u.code ?? u.slug]))
  const missingParents = list.filter((u) => u.parentId && !keyOf.has(u.parentId)).map((u) => u.parentId!)
  for (const p of await unitsRepository.findByIds(db, [...new Set(missingParents)]))
    keyOf.set(p.id, p.code ?? p.slug)

  const records: Record<UnitFileColumn, string | number | null>[] = list.map((u) => ({
    code: u.code,
    slug: u.slug,
    parent: u.parentId ? (keyOf.get(u.parentId) ?? null) : null,
    level: u.level,
    kind: u.kind,
    name: u.name,
    address: u.address,
    phone: u.phone,
    valid_from: u.validFrom,
    valid_to: u.validTo,
    household_count: u.householdCount,
    resident_count: u.residentCount,
    geometry: u.geometry ? JSON.stringify(u.geometry) : null,
  }))
  if (opts.format === 'json') {
    const units = records.map((r, i) => ({
      ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)),
      ...(list[i]!.geometry ? { geometry: list[i]!.geometry } : {}),
    }))
    return `${JSON.stringify({ units }, null, 2)}\n`
  }
  return toCsv([[...unitFileColumns], ...records.map((r) => unitFileColumns.map((c) => r[c]))])
}
