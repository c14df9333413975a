import type { TEvidenceView, TTipListItem, TTipView } from '@common/schemas/tips'
import type { EvidenceRow, TipListRow, TipMessageRow, TipRow } from './tips.repository'

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString()
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d))

/** "TB-3F2A9C1B": short enough to read out on the phone. */
export const tipReference = (id: string) => `TB-${id.slice(0, 8).toUpperCase()}`

const isOverdue = (t: { firstResponseAt: unknown; firstResponseDueAt: Date | string; status: string }) =>
  t.firstResponseAt === null &&
  (t.status === 'new' || t.status === 'in_review') &&
  new Date(t.firstResponseDueAt).getTime() < Date.now()

export interface EvidencePresentOptions {
  /** Staff see who added each file; a code holder gets no file URLs (files are served to accounts only). */
  audience: 'staff' | 'owner' | 'code'
  addedByName?: (file: EvidenceRow) => string | null
}

export function presentEvidence(f: EvidenceRow, o: EvidencePresentOptions): TEvidenceView {
  const withUrls = o.audience !== 'code'
  return {
    id: f.id,
    kind: f.kind,
    mime: f.mime,
    size: f.size,
    sha256: f.sha256,
    width: f.width,
    height: f.height,
    url: withUrls ? `/api/evidence/${f.id}` : '',
    thumbUrl: withUrls && f.thumbKey ? `/api/evidence/${f.id}/thumb` : null,
    createdAt: iso(f.createdAt),
    ...(o.audience === 'staff' ? { addedBy: { role: f.addedByRole, name: o.addedByName?.(f) ?? null } } : {}),
    redactsId: f.redactsId,
    note: f.note,
    bytesRemoved: f.bytesRemovedAt !== null,
  }
}

export interface TipPresentContext {
  audience: 'staff' | 'owner' | 'code'
  areaName: string
  files: EvidenceRow[]
  messages: { message: TipMessageRow; staffName: string | null }[]
  assignee?: { id: string; displayName: string } | null
  /** Staff with readSender, for a tip with a known sender. */
  sender?: { displayName: string; phone: string | null } | null
  can: string[]
}

/** A tip as its reader may see it. The sender is never in it unless staff may read it and there is one. */
export function presentTip(t: TipRow, c: TipPresentContext): TTipView {
  const fileOpts: EvidencePresentOptions = { audience: c.audience }
  const byMessage = new Map<string, EvidenceRow[]>()
  for (const f of c.files)
    if (f.tipMessageId) byMessage.set(f.tipMessageId, [...(byMessage.get(f.tipMessageId) ?? []), f])
  const view: TTipView = {
    id: t.id,
    reference: tipReference(t.id),
    category: t.category,
    description: t.description,
    status: t.status,
    lat: t.lat,
    lng: t.lng,
    addressText: t.addressText,
    locationSource: t.locationSource,
    area: { id: t.areaId, name: c.areaName },
    seenAt: isoOrNull(t.seenAt),
    contactPreference: t.contactPreference,
    isAnonymous: t.isAnonymous,
    channel: t.channel,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    firstResponseDueAt: iso(t.firstResponseDueAt),
    firstResponseAt: isoOrNull(t.firstResponseAt),
    overdue: isOverdue(t),
    quarantinedAt: isoOrNull(t.quarantinedAt),
    files: c.files.filter((f) => !f.tipMessageId).map((f) => presentEvidence(f, fileOpts)),
    messages: c.messages.map(({ message: m, staffName }) => ({
      id: m.id,
      from: m.authorKind,
      staffName: m.authorKind === 'staff' ? staffName : null,
      body: m.body,
      files: (byMessage.get(m.id) ?? []).map((f) => presentEvidence(f, fileOpts)),
      createdAt: iso(m.createdAt),
    })),
    can: c.can,
  }
  if (c.audience === 'staff') {
    view.assignee = c.assignee ?? null
    view.caseId = t.caseId
    view.sender = c.sender ?? null
  }
  return view
}

export function presentTipListItem(r: TipListRow): TTipListItem {
  const excerpt = r.description.length > 140 ? `${r.description.slice(0, 139)}…` : r.description
  return {
    id: r.id,
    reference: tipReference(r.id),
    category: r.category,
    excerpt,
    status: r.status,
    areaName: r.area_name,
    isAnonymous: r.is_anonymous,
    hasFiles: r.has_files,
    createdAt: iso(r.created_at),
    firstResponseDueAt: iso(r.first_response_due_at),
    firstResponseAt: isoOrNull(r.first_response_at),
    overdue: isOverdue({
      firstResponseAt: r.first_response_at,
      firstResponseDueAt: r.first_response_due_at,
      status: r.status,
    }),
    assigneeName: r.assignee_name,
    caseId: r.case_id,
    quarantined: r.quarantined_at !== null,
    source: r.from_alert ? 'alert_answer' : 'resident',
    ...(r.has_update === undefined ? {} : { hasUpdate: r.has_update }),
  }
}
