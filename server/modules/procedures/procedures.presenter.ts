import type {
  TProcedureDetail,
  TProcedureSearchHit,
  TProcedureSummary,
  TUnitProcedureNotes,
} from '@common/schemas/procedures'
import type { ProcedureSearchHit } from './procedure-search.service'
import type { ProcedureRow, ProcedureVersionRow, UnitNotesRow } from './procedures.repository'

export function presentSummary(row: ProcedureRow, forStaff: boolean): TProcedureSummary {
  return {
    id: row.id,
    category: row.category,
    nameVi: row.nameVi,
    nameEn: row.nameEn,
    online: row.online.available,
    ...(forStaff ? { awaitingLegalReview: row.awaitingLegalReview } : {}),
  }
}

export function presentUnitNotes(notes: UnitNotesRow, unitName: string): TUnitProcedureNotes {
  return {
    unitId: notes.unitId,
    unitName,
    openingHours: notes.openingHours,
    room: notes.room,
    officerOnDuty: notes.officerOnDuty,
    note: notes.note,
    updatedAt: notes.updatedAt.toISOString(),
  }
}

type RelatedName = { id: string; nameVi: string; nameEn: string }

export function presentDetail(
  row: ProcedureRow,
  opts: {
    notes?: { notes: UnitNotesRow; unitName: string } | undefined
    related: RelatedName[]
    staff: boolean
    canEdit: boolean
  },
): TProcedureDetail {
  const byId = new Map(opts.related.map((r) => [r.id, r]))
  return {
    id: row.id,
    category: row.category,
    nameVi: row.nameVi,
    nameEn: row.nameEn,
    handlingBody: row.handlingBody,
    handlingBodyEn: row.handlingBodyEn,
    requiredDocuments: row.requiredDocuments,
    requiredDocumentsEn: row.requiredDocumentsEn,
    timeLimit: row.timeLimit,
    timeLimitEn: row.timeLimitEn,
    fee: row.fee,
    feeEn: row.feeEn,
    legalBasis: row.legalBasis,
    online: {
      available: row.online.available,
      channels: row.online.channels,
      channelsEn: row.online.channelsEn ?? [],
      note: row.online.note || null,
      noteEn: row.online.noteEn || null,
      links: row.online.links ?? [],
    },
    related: row.related.flatMap((id) => {
      const r = byId.get(id)
      return r ? [{ id: r.id, nameVi: r.nameVi, nameEn: r.nameEn }] : []
    }),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    unitNotes: opts.notes ? presentUnitNotes(opts.notes.notes, opts.notes.unitName) : null,
    staff: opts.staff
      ? {
          awaitingLegalReview: row.awaitingLegalReview,
          reviewBy: row.reviewBy,
          provenance: {
            level: row.provenance.level,
            note: row.provenance.note ?? null,
            reviewItems: row.provenance.reviewItems ?? [],
            sources: row.provenance.sources,
          },
          keywords: row.keywords,
          questionExamples: row.questionExamples,
          archived: row.archived,
          can: { edit: opts.canEdit },
        }
      : null,
  }
}

export const presentSearchHit = (h: ProcedureSearchHit): TProcedureSearchHit => ({
  id: h.id,
  nameVi: h.nameVi,
  nameEn: h.nameEn,
  category: h.category,
  snippet: h.snippet,
  score: h.score,
  why: h.why,
})

export const presentVersion = (v: ProcedureVersionRow, authors: Map<string, string>) => ({
  version: v.version,
  source: v.source,
  changedFields: v.changedFields,
  changedBy: v.changedBy ? { id: v.changedBy, displayName: authors.get(v.changedBy) ?? '' } : null,
  note: v.note,
  createdAt: v.createdAt.toISOString(),
  snapshot: v.snapshot,
})
