import type {
  TAlertAnswerView,
  TAlertChannelPost,
  TAlertHistoryEntry,
  TAlertView,
} from '@common/schemas/alerts'
import type { Actor } from '../../lib/actor'
import type { AlertCounters } from './alert-recipients.repository'
import { type AlertResource, alertsPolicy } from './alerts.policy'
import type { AlertMessageRow, LoadedAlert } from './alerts.repository'

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null)

/** Actions the web client may offer next. */
const actions = [
  'editDraft',
  'submit',
  'approve',
  'reject',
  'manage',
  'addPhoto',
  'answer',
  'share',
  'readStaff',
] as const

export const alertPaths = {
  share: (id: string) => `/alerts/${id}/share`,
  photo: (id: string, photoId: string, variant: 'display' | 'thumb' = 'display') =>
    `/api/alerts/${id}/photos/${photoId}${variant === 'thumb' ? '?variant=thumb' : ''}`,
  cap: (id: string) => `/api/alerts/${id}/cap.xml`,
}

export function isLive(a: { state: string; expires: Date | null }, now = Date.now()): boolean {
  return a.state === 'active' && (!a.expires || a.expires.getTime() > now)
}

/**
 * The one shape of an alert. Staff who work it also see reach counters, versions and the author;
 * a resident sees their own read state; nobody ever sees who else received it.
 */
export function presentAlert(
  loaded: LoadedAlert,
  resource: AlertResource,
  actor: Actor | null,
  extra: { messages?: AlertMessageRow[]; counters?: AlertCounters; channelPosts?: ChannelPostRow[] } = {},
): TAlertView {
  const { alert: a } = loaded
  const isStaffView = alertsPolicy.can(actor, 'readStaff', resource)
  const view: TAlertView = {
    id: a.id,
    kind: a.kind,
    state: a.state,
    isLive: isLive(a),
    capStatus: a.capStatus,
    capScope: a.capScope,
    categories: a.categories,
    event: a.event,
    urgency: a.urgency,
    severity: a.severity,
    certainty: a.certainty,
    effective: iso(a.effective),
    expires: iso(a.expires),
    headline: a.headline,
    description: a.description,
    instruction: a.instruction,
    contact: a.contact,
    outcome: a.outcome,
    lastMsgType: a.lastMsgType,
    version: a.version,
    scopeKind: a.scopeKind,
    geometry: a.geometry ?? null,
    issuingUnit: { id: loaded.issuingUnit.id, name: loaded.issuingUnit.name, slug: loaded.issuingUnit.slug },
    targets: loaded.targets.map((t) => ({ id: t.id, name: t.name })),
    photos: loaded.photos.map((p) => ({
      id: p.id,
      url: alertPaths.photo(a.id, p.id),
      thumbUrl: alertPaths.photo(a.id, p.id, 'thumb'),
      width: p.width,
      height: p.height,
      description: p.description,
    })),
    publishedAt: iso(a.publishedAt),
    updatedAt: iso(a.updatedAt)!,
    shareUrl: alertPaths.share(a.id),
    can: alertsPolicy.allowed(actor, [...actions], resource),
  }
  if (extra.messages) view.history = presentHistory(extra.messages)
  if (loaded.mine) view.mine = { readAt: iso(loaded.mine.readAt), answeredAt: iso(loaded.mine.answeredAt) }
  if (isStaffView) {
    const c = extra.counters ?? {
      targeted: a.targetedCount,
      delivered: a.deliveredCount,
      read: a.readCount,
      shared: a.sharedCount,
      answers: a.answersCount,
    }
    view.stats = { ...c }
    if (extra.channelPosts) view.channelPosts = extra.channelPosts.map(presentChannelPost)
    view.author = loaded.author
    view.needsApproval = a.needsApproval
    view.rejectedReason = a.rejectedReason
    if (extra.messages)
      view.messages = extra.messages.map((m) => ({
        version: m.version,
        msgType: m.msgType,
        identifier: m.identifier,
        sent: m.sent.toISOString(),
        headline: String((m.snapshot as { headline?: string }).headline ?? ''),
        note: m.note,
      }))
  }
  return view
}

type ChannelPostRow = Omit<TAlertChannelPost, 'channel' | 'postedAt' | 'reachReadAt'> & {
  platform: TAlertChannelPost['channel']
  postedAt: Date | null
  reachReadAt: Date | null
}

function presentChannelPost(p: ChannelPostRow): TAlertChannelPost {
  return {
    channel: p.platform,
    accountName: p.accountName,
    version: p.version,
    msgType: p.msgType,
    status: p.status,
    postedAt: iso(p.postedAt),
    errorKey: p.errorKey,
    reach: p.reach,
    reachReadAt: iso(p.reachReadAt),
    reachErrorKey: p.reachErrorKey,
  }
}

/** The updates residents read under the description; the first message (the alert itself) is the description. */
function presentHistory(messages: AlertMessageRow[]): TAlertHistoryEntry[] {
  const entries: TAlertHistoryEntry[] = []
  for (const m of messages)
    if (m.msgType !== 'Alert' && m.note)
      entries.push({ version: m.version, msgType: m.msgType, sent: m.sent.toISOString(), note: m.note })
  return entries
}

export function presentAnswer(row: {
  id: string
  body: string
  createdAt: Date
  tipId: string | null
  authorId: string
  authorName: string
  authorPhone: string | null
}): TAlertAnswerView {
  return {
    id: row.id,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    tipId: row.tipId,
    author: { id: row.authorId, displayName: row.authorName, phone: row.authorPhone },
  }
}
