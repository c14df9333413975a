import type { TChannel, TMessageDelivery } from '@common/schemas/channels'
import type {
  TCannedReplyItem,
  TCannedReplyView,
  TConversationView,
  TGroupView,
  TMemberView,
  TMessageView,
  TOfficerCard,
} from '@common/schemas/messaging'
import type { MessageAttachment } from '../../db/schema/index'
import type { CannedReplyRecord } from './canned-reply.repository'
import type { MessageRecord } from './message.repository'

/** Presenters: what leaves the server. Rows never do; a resident's phone only where the policy says. */

export const iso = (v: Date | string | null | undefined): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString()

const excerpt = (text: string, n = 120) => (text.length > n ? `${text.slice(0, n - 1)}…` : text)

export const fileUrl = (fileId: string, variant?: 'thumb') =>
  `/api/files/${fileId}${variant ? `?variant=${variant}` : ''}`

function presentAttachment(a: MessageAttachment) {
  return {
    fileId: a.fileId,
    kind: a.kind,
    mime: a.mime,
    name: a.name,
    size: a.size,
    ...(a.width ? { width: a.width } : {}),
    ...(a.height ? { height: a.height } : {}),
    ...(a.durationMs ? { durationMs: a.durationMs } : {}),
    url: fileUrl(a.fileId),
    ...(a.kind === 'photo' ? { thumbUrl: fileUrl(a.fileId, 'thumb') } : {}),
  }
}

/**
 * A message for one reader. Deleted messages lose their content for everyone; hidden ones lose it
 * for members but moderators still read it (the reason and the original are kept for audit).
 */
export function presentMessage(m: MessageRecord, viewer: { canModerate: boolean }): TMessageView {
  const removed = m.deleted_at !== null || (m.hidden_at !== null && !viewer.canModerate)
  return {
    id: m.id,
    conversationId: m.conversation_id,
    seq: m.seq,
    position: Number(m.position),
    kind: m.kind,
    body: removed ? '' : m.body,
    attachments: removed ? [] : (m.attachments ?? []).map(presentAttachment),
    payload: removed ? null : (m.payload ?? null),
    author: m.author_id
      ? {
          id: m.author_id,
          displayName: m.author_name ?? '',
          isStaff: m.author_kind === 'staff',
          rank: m.author_kind === 'staff' ? (m.author_rank ?? null) : null,
        }
      : null,
    replyTo:
      m.reply_to_id && m.reply_seq !== null
        ? {
            id: m.reply_to_id,
            seq: m.reply_seq,
            excerpt: m.reply_hidden ? '' : excerpt(m.reply_body ?? ''),
            authorName: m.reply_author_name,
          }
        : null,
    mentions: m.mentions ?? [],
    clientKey: m.client_key,
    isInternal: m.is_internal,
    createdAt: iso(m.created_at)!,
    editedAt: iso(m.edited_at),
    deletedAt: iso(m.deleted_at),
    hidden: m.hidden_at ? { at: iso(m.hidden_at)!, reason: m.hidden_reason ?? '' } : null,
    pinnedAt: iso(m.pinned_at),
    delivery: presentDelivery(m.delivery),
  }
}

/** The delivery as the composer shows it: the job's progress through the reply's parts stays inside. */
function presentDelivery(d: TMessageDelivery | null | undefined): TMessageDelivery | null {
  if (!d) return null
  const { sentParts: _progress, ...shown } = d
  return shown
}

export interface OfficerRow {
  id: string
  display_name: string
  rank: string | null
  title: string | null
  official_phone: string | null
  photo_url: string | null
}

/** The officer card residents see: official contact only, never a personal number. */
export const presentOfficer = (o: OfficerRow | null | undefined): TOfficerCard | null =>
  o
    ? {
        id: o.id,
        displayName: o.display_name,
        rank: o.rank,
        title: o.title,
        officialPhone: o.official_phone,
        photoUrl: o.photo_url,
      }
    : null

/** One row of the conversation list query (conversation.queries.ts). */
export interface ConversationListRow {
  id: string
  kind: 'direct' | 'group'
  status: TConversationView['status']
  labels: string[]
  area_id: string | null
  area_name: string | null
  group_id: string | null
  group_name: string | null
  channel: TChannel
  last_seq: number
  last_message_at: Date | string | null
  awaiting_since: Date | string | null
  first_response_at: Date | string | null
  resolved_at: Date | string | null
  created_at: Date | string
  due_at: Date | string | null
  overdue: boolean
  resident_id: string | null
  resident_name: string | null
  assignee: OfficerRow | null
  last_read_seq: number
  last_delivered_seq: number
  peer_read_seq: number
  peer_delivered_seq: number
  unread: number
  last_body: string | null
  last_kind: string | null
  last_author_name: string | null
  last_author_staff: boolean | null
  last_hidden: boolean | null
}

export function presentConversation(r: ConversationListRow, can: string[]): TConversationView {
  const lastText = r.last_hidden
    ? ''
    : r.last_kind && r.last_kind !== 'text' && !r.last_body
      ? `[${r.last_kind}]`
      : r.last_body
  return {
    id: r.id,
    kind: r.kind,
    title: r.kind === 'group' ? (r.group_name ?? '') : (r.resident_name ?? r.area_name ?? ''),
    status: r.status,
    labels: r.labels as TConversationView['labels'],
    areaId: r.area_id,
    groupId: r.group_id,
    channel: r.channel ?? 'web',
    assignee: presentOfficer(r.assignee),
    lastSeq: r.last_seq,
    lastMessageAt: iso(r.last_message_at),
    awaitingSince: iso(r.awaiting_since),
    firstResponseAt: iso(r.first_response_at),
    resolvedAt: iso(r.resolved_at),
    createdAt: iso(r.created_at)!,
    overdue: !!r.overdue,
    dueAt: iso(r.due_at),
    read: {
      lastReadSeq: r.last_read_seq,
      lastDeliveredSeq: r.last_delivered_seq,
      peerReadSeq: r.peer_read_seq,
      peerDeliveredSeq: r.peer_delivered_seq,
      unread: r.unread,
    },
    lastMessage:
      lastText !== null && lastText !== undefined
        ? { excerpt: excerpt(lastText, 140), authorName: r.last_author_name, isStaff: !!r.last_author_staff }
        : null,
    resident: r.resident_id ? { id: r.resident_id, displayName: r.resident_name ?? '' } : null,
    can,
  }
}

export interface GroupListRow {
  id: string
  kind: TGroupView['kind']
  name: string
  description: string
  unit_id: string
  unit_name: string
  unit_path: string
  posting_policy: TGroupView['postingPolicy']
  join_policy: TGroupView['joinPolicy']
  conversation_id: string
  last_message_at: Date | string | null
  member_count: number
  my_role: TGroupView['myRole']
  my_status: TGroupView['myStatus']
  last_seq: number
  last_read_seq: number | null
  unread: number | null
}

export function presentGroup(r: GroupListRow, can: string[]): TGroupView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    description: r.description,
    unitId: r.unit_id,
    unitName: r.unit_name,
    postingPolicy: r.posting_policy,
    joinPolicy: r.join_policy,
    conversationId: r.conversation_id,
    lastMessageAt: iso(r.last_message_at),
    memberCount: Number(r.member_count),
    myRole: r.my_role,
    myStatus: r.my_status,
    can,
    // A member who has not opened the group yet has read nothing: everything in it is unread.
    read:
      r.last_read_seq === null && !r.my_status
        ? null
        : {
            lastReadSeq: r.last_read_seq ?? 0,
            lastDeliveredSeq: r.last_read_seq ?? 0,
            peerReadSeq: 0,
            peerDeliveredSeq: 0,
            unread: Number(r.unread ?? 0),
          },
  }
}

export interface MemberRow {
  user_id: string
  display_name: string
  kind: 'resident' | 'staff'
  role: TMemberView['role']
  status: TMemberView['status']
  muted_until: Date | string | null
  joined_at: Date | string
  phone: string | null
}

/** Moderators see display names only; the area's police may see the phone (audited by the route). */
export const presentMember = (m: MemberRow, withPersonalData: boolean): TMemberView => ({
  userId: m.user_id,
  displayName: m.display_name,
  isStaff: m.kind === 'staff',
  role: m.role,
  status: m.status,
  mutedUntil: iso(m.muted_until),
  joinedAt: iso(m.joined_at)!,
  ...(withPersonalData && m.kind === 'resident' ? { phone: m.phone } : {}),
})

/** A canned reply on the management page: the template as written, and what the caller may do with it. */
export function presentCannedReply(
  r: CannedReplyRecord,
  viewer: { userId: string; can: TCannedReplyItem['can'] },
): TCannedReplyItem {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    title: r.title,
    body: r.body,
    shared: r.shared,
    mine: r.created_by === viewer.userId,
    author: r.created_by ? { id: r.created_by, displayName: r.author_name ?? '' } : null,
    updatedAt: iso(r.updated_at)!,
    version: r.version,
    can: viewer.can,
  }
}

/** A canned reply in a conversation's picker: its body already filled in for that conversation. */
export const presentCannedForConversation = (r: CannedReplyRecord, body: string): TCannedReplyView => ({
  id: r.id,
  unitId: r.unit_id,
  title: r.title,
  body,
  shared: r.shared,
})
