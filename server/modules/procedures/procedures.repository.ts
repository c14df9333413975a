import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import {
  type ProcedureOnline,
  type ProcedureProvenance,
  procedureSynonyms,
  procedures,
  procedureVersions,
  unitProcedureNotes,
  units,
  users,
} from '../../db/schema/index'
import { searchVectorSql } from './search/search-index'

export type ProcedureRow = typeof procedures.$inferSelect
export type ProcedureVersionRow = typeof procedureVersions.$inferSelect
export type UnitNotesRow = typeof unitProcedureNotes.$inferSelect

/** Everything that makes up a procedure's content: what a version snapshots and compares. */
export interface ProcedureContent {
  id: string
  category: string
  nameVi: string
  nameEn: string
  handlingBody: string
  handlingBodyEn: string
  requiredDocuments: string[]
  requiredDocumentsEn: string[]
  timeLimit: string
  timeLimitEn: string
  fee: string
  feeEn: string
  legalBasis: string[]
  related: string[]
  online: ProcedureOnline
  provenance: ProcedureProvenance
  awaitingLegalReview: boolean
  reviewBy: string | null
  keywords: string[]
  questionExamples: string[]
  archived: boolean
}

export const contentFields = [
  'category',
  'nameVi',
  'nameEn',
  'handlingBody',
  'handlingBodyEn',
  'requiredDocuments',
  'requiredDocumentsEn',
  'timeLimit',
  'timeLimitEn',
  'fee',
  'feeEn',
  'legalBasis',
  'related',
  'online',
  'provenance',
  'awaitingLegalReview',
  'reviewBy',
  'keywords',
  'questionExamples',
  'archived',
] as const satisfies readonly (keyof ProcedureContent)[]

export function contentOf(row: ProcedureRow): ProcedureContent {
  const c = { id: row.id } as ProcedureContent
  for (const k of contentFields) (c as unknown as Record<string, unknown>)[k] = row[k]
  return c
}

/** Stable JSON (sorted keys) so jsonb round trips never look like a change. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.entries(val as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : val,
  )

export function changedFields(before: ProcedureContent, after: ProcedureContent): string[] {
  return contentFields.filter((k) => canonical(before[k]) !== canonical(after[k]))
}

export async function findProcedure(db: DbOrTx, id: string): Promise<ProcedureRow | undefined> {
  const [row] = await db.select().from(procedures).where(eq(procedures.id, id))
  return row
}

export async function listProcedures(
  db: DbOrTx,
  opts: { category?: string; includeArchived?: boolean } = {},
) {
  const where = and(
    opts.category ? eq(procedures.category, opts.category) : undefined,
    opts.includeArchived ? undefined : eq(procedures.archived, false),
  )
  return db.select().from(procedures).where(where).orderBy(asc(procedures.category), asc(procedures.nameVi))
}

/** Inserts or overwrites a procedure's content and rebuilds its search fields; bumps the version. */
export async function saveProcedure(db: DbOrTx, content: ProcedureContent, version: number): Promise<void> {
  const values = {
    ...content,
    searchVector: searchVectorSql(content),
    version,
    updatedAt: new Date(),
  }
  await db
    .insert(procedures)
    // biome-ignore lint/suspicious/noExplicitAny: searchVector is an SQL expression, not a string
    .values(values as any)
    // biome-ignore lint/suspicious/noExplicitAny: same as above
    .onConflictDoUpdate({ target: procedures.id, set: values as any })
}

export async function insertVersion(db: DbOrTx, v: typeof procedureVersions.$inferInsert): Promise<void> {
  await db.insert(procedureVersions).values(v)
}

export async function listVersions(db: DbOrTx, procedureId: string): Promise<ProcedureVersionRow[]> {
  return db
    .select()
    .from(procedureVersions)
    .where(eq(procedureVersions.procedureId, procedureId))
    .orderBy(desc(procedureVersions.version))
}

export async function findUnitNotes(db: DbOrTx, unitId: string, procedureId: string) {
  const [row] = await db
    .select()
    .from(unitProcedureNotes)
    .where(and(eq(unitProcedureNotes.unitId, unitId), eq(unitProcedureNotes.procedureId, procedureId)))
  return row
}

export async function upsertUnitNotes(
  db: DbOrTx,
  row: typeof unitProcedureNotes.$inferInsert,
): Promise<UnitNotesRow> {
  const set = { ...row, updatedAt: new Date() }
  const [saved] = await db
    .insert(unitProcedureNotes)
    .values(set)
    .onConflictDoUpdate({ target: [unitProcedureNotes.unitId, unitProcedureNotes.procedureId], set })
    .returning()
  return saved!
}

export async function upsertSynonym(db: DbOrTx, s: typeof procedureSynonyms.$inferInsert): Promise<boolean> {
  const [existing] = await db.select().from(procedureSynonyms).where(eq(procedureSynonyms.term, s.term))
  if (
    existing &&
    existing.expansion === s.expansion &&
    existing.kind === s.kind &&
    existing.replace === (s.replace ?? false) &&
    Math.abs(existing.weight - (s.weight ?? 1)) < 1e-6
  )
    return false
  const set = { ...s, updatedAt: new Date() }
  await db.insert(procedureSynonyms).values(set).onConflictDoUpdate({ target: procedureSynonyms.term, set })
  return true
}

export async function countProcedures(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(procedures)
  return Number(row?.n ?? 0)
}

/** A unit's notes for a procedure, or the nearest ancestor's: `unitIds` is the unit's path, root first. */
export async function findNearestUnitNotes(db: DbOrTx, unitIds: string[], procedureId: string) {
  if (unitIds.length === 0) return undefined
  const rows = await db
    .select({ notes: unitProcedureNotes, unitName: units.name })
    .from(unitProcedureNotes)
    .innerJoin(units, eq(units.id, unitProcedureNotes.unitId))
    .where(and(eq(unitProcedureNotes.procedureId, procedureId), inArray(unitProcedureNotes.unitId, unitIds)))
  return rows.sort((a, b) => unitIds.indexOf(b.notes.unitId) - unitIds.indexOf(a.notes.unitId))[0]
}

/** The names of the given procedures (for "see also" links); archived ones are left out. */
export async function procedureNames(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return []
  return db
    .select({ id: procedures.id, nameVi: procedures.nameVi, nameEn: procedures.nameEn })
    .from(procedures)
    .where(and(inArray(procedures.id, ids), eq(procedures.archived, false)))
}

export async function versionAuthors(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(inArray(users.id, ids))
  return new Map(rows.map((r) => [r.id, r.name]))
}
