import type { TCaseListItem, TCaseView, THelpRequestView } from '@common/schemas/cases'
import type { TTipListItem } from '@common/schemas/tips'
import type { CaseListRow, CaseRow, EvidenceRow } from './cases.repository'
import type { HelpRequestRow, TargetView } from './help-requests.repository'
import { presentEvidence } from './tips.presenter'

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString()
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d))

export const caseReference = (n: number) => `VV-${String(n).padStart(5, '0')}`

export interface HelpPresentContext {
  caseNumber: number
  targets: TargetView[]
  responses: {
    id: string
    body: string
    created_at: Date | string
    display_name: string | null
    phone: string | null
    responder_id: string | null
  }[]
  files: EvidenceRow[]
  /** Staff of the case: every answer with its author; otherwise the reader's own answers, unnamed. */
  showResponders: boolean
  can: string[]
}

export function presentHelpRequest(h: HelpRequestRow, c: HelpPresentContext): THelpRequestView {
  const audience = c.showResponders ? 'staff' : 'owner'
  return {
    id: h.id,
    caseId: c.showResponders ? h.caseId : null,
    caseReference: caseReference(c.caseNumber),
    description: h.description,
    lookFor: h.lookFor,
    placeText: h.placeText,
    lat: h.lat,
    lng: h.lng,
    windowStart: isoOrNull(h.windowStart),
    windowEnd: isoOrNull(h.windowEnd),
    photoUrl: h.photoFileId ? `/api/help-requests/${h.id}/photo` : null,
    status: h.status,
    closingMessage: h.closingMessage,
    createdAt: iso(h.createdAt),
    closedAt: isoOrNull(h.closedAt),
    targets: c.targets.map((t) => ({
      kind: t.group_id ? 'group' : 'area',
      id: (t.group_id ?? t.area_id)!,
      name: t.name,
    })),
    responses: c.responses.map((r) => ({
      id: r.id,
      body: r.body,
      createdAt: iso(r.created_at),
      files: c.files.filter((f) => f.helpResponseId === r.id).map((f) => presentEvidence(f, { audience })),
      // Staff see who answered, unless the responder deleted their account (then nobody does).
      responder:
        c.showResponders && r.responder_id
          ? { id: r.responder_id, displayName: r.display_name ?? '', phone: r.phone }
          : null,
    })),
    can: c.can,
  }
}

export interface CasePresentContext {
  areaName: string
  assigneeName: string | null
  tips: TTipListItem[]
  evidence: EvidenceRow[]
  names: Map<string, string>
  timeline: {
    id: number
    type: string
    at: Date | string
    actor_name: string | null
    data: Record<string, unknown>
  }[]
  links: { kind: 'alert' | 'conversation'; targetId: string; createdAt: Date }[]
  helpRequests: THelpRequestView[]
  can: string[]
}

export function presentCase(c: CaseRow, x: CasePresentContext): TCaseView {
  return {
    id: c.id,
    reference: caseReference(c.number),
    title: c.title,
    description: c.description,
    category: c.category,
    status: c.status,
    outcome: c.outcome,
    outcomeNote: c.outcomeNote,
    priority: c.priority,
    assignee: c.assigneeId ? { id: c.assigneeId, displayName: x.assigneeName ?? '' } : null,
    area: { id: c.areaId, name: x.areaName },
    lat: c.lat,
    lng: c.lng,
    addressText: c.addressText,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    resolvedAt: isoOrNull(c.resolvedAt),
    closedAt: isoOrNull(c.closedAt),
    tips: x.tips,
    evidence: x.evidence.map((f) =>
      presentEvidence(f, {
        audience: 'staff',
        addedByName: (e) => (e.addedById ? (x.names.get(e.addedById) ?? null) : null),
      }),
    ),
    timeline: x.timeline.map((e) => ({
      id: e.id,
      type: e.type,
      at: iso(e.at),
      actorName: e.actor_name,
      data: e.data,
    })),
    links: x.links.map((l) => ({ kind: l.kind, targetId: l.targetId, createdAt: iso(l.createdAt) })),
    helpRequests: x.helpRequests,
    can: x.can,
  }
}

export function presentCaseListItem(r: CaseListRow): TCaseListItem {
  return {
    id: r.id,
    reference: caseReference(r.number),
    title: r.title,
    category: r.category,
    status: r.status,
    priority: r.priority,
    outcome: r.outcome,
    areaName: r.area_name,
    assigneeName: r.assignee_name,
    tipCount: r.tip_count,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }
}
