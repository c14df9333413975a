import { z } from 'zod'
import { ZChannel, ZMessageDelivery } from './channels'

/** Request and response shapes of the messaging API, shared by the server and the web client. */

export const MESSAGE_MAX_CHARS = 4000
/** Authors may edit or delete their own message for this long. */
export const EDIT_WINDOW_MINUTES = 15

export const conversationStatusValues = ['open', 'waiting_on_resident', 'resolved'] as const
export const conversationLabelValues = [
  'procedure',
  'security_order',
  'lost_person_property',
  'scam',
  'fire_safety',
  'traffic',
  'other',
] as const
export const groupKindValues = [
  'residential_area',
  'party_cell',
  'inter_household',
  'business',
  'security_conditional_business',
  'landlords',
  'custom',
] as const
export const messageKindValues = [
  'text',
  'photo',
  'file',
  'voice',
  'location',
  'procedure_card',
  'system',
  /** A guidance card in a group (issue 19): title, text, optional photo and link; staff and moderators. */
  'guidance',
] as const
export const attachmentKindValues = ['photo', 'file', 'voice'] as const
/** A voice message plays at most this long; the recorder stops itself there and the server checks. */
export const VOICE_MAX_SECONDS = 120

const ZId = z.uuid()
const ZTime = z.string()

export const ZAttachmentView = z.object({
  fileId: ZId,
  kind: z.enum(attachmentKindValues),
  mime: z.string(),
  name: z.string(),
  size: z.number().int(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /** Voice messages: how long they play, measured by the server. */
  durationMs: z.number().int().optional(),
  url: z.string(),
  thumbUrl: z.string().optional(),
})
export type TAttachmentView = z.infer<typeof ZAttachmentView>

export const ZAuthorView = z.object({
  id: ZId,
  displayName: z.string(),
  isStaff: z.boolean(),
  rank: z.string().nullable(),
})

/** A message as a member sees it: a hidden or deleted message keeps its place but not its text. */
export const ZMessageView = z.object({
  id: ZId,
  conversationId: ZId,
  seq: z.number().int(),
  position: z.number().int(),
  kind: z.enum(messageKindValues),
  body: z.string(),
  attachments: z.array(ZAttachmentView),
  payload: z.record(z.string(), z.unknown()).nullable(),
  author: ZAuthorView.nullable(),
  replyTo: z
    .object({ id: ZId, seq: z.number().int(), excerpt: z.string(), authorName: z.string().nullable() })
    .nullable(),
  mentions: z.array(ZId),
  clientKey: z.string().nullable(),
  isInternal: z.boolean(),
  createdAt: ZTime,
  editedAt: ZTime.nullable(),
  deletedAt: ZTime.nullable(),
  hidden: z.object({ at: ZTime, reason: z.string() }).nullable(),
  pinnedAt: ZTime.nullable(),
  /** A reply to a Zalo or Messenger contact: whether the platform has it yet. */
  delivery: ZMessageDelivery.nullable(),
})
export type TMessageView = z.infer<typeof ZMessageView>

export const ZLocation = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  label: z.string().max(200).optional(),
})

/** A guidance card's own fields; its text is the message body, its photo an attachment. */
export const ZGuidanceCard = z.object({
  title: z.string().trim().min(3).max(200),
  /** Only web addresses: a card never carries a javascript: or data: link. */
  link: z
    .url({ protocol: /^https?$/, error: 'i18n:messaging.guidance_link_invalid' })
    .max(1000)
    .optional(),
})
export type TGuidanceCard = z.infer<typeof ZGuidanceCard>

export const ZSendMessageRequest = z
  .object({
    /** Made by the client once per message and reused on every retry: a retry never duplicates. */
    clientKey: z.string().min(8).max(100),
    body: z.string().max(MESSAGE_MAX_CHARS).default(''),
    attachmentIds: z.array(ZId).max(10).default([]),
    location: ZLocation.optional(),
    procedure: z
      .object({ procedureId: z.string().min(1).max(100), title: z.string().min(1).max(300) })
      .optional(),
    /** Makes the message a guidance card (groups, staff and moderators only). */
    guidance: ZGuidanceCard.optional(),
    replyToId: ZId.optional(),
    mentions: z.array(ZId).max(50).default([]),
    /** In a group: the question is for the police (it mentions the area officer and waits in their inbox). */
    askPolice: z.boolean().default(false),
    /** Staff only, direct conversations only: a note the resident never sees. */
    internal: z.boolean().default(false),
  })
  .refine((m) => m.body.trim() || m.attachmentIds.length || m.location || m.procedure, {
    path: ['body'],
    message: 'i18n:messaging.body_empty',
  })
  .refine((m) => !m.guidance || m.body.trim(), {
    path: ['body'],
    message: 'i18n:messaging.guidance_text_empty',
  })
export type TSendMessageRequest = z.input<typeof ZSendMessageRequest>

export const ZEditMessageRequest = z.object({ body: z.string().min(1).max(MESSAGE_MAX_CHARS) })
export const ZReasonRequest = z.object({ reason: z.string().trim().min(3).max(500) })

export const ZReadState = z.object({
  lastReadSeq: z.number().int(),
  lastDeliveredSeq: z.number().int(),
  /** How far the other side has received and read (✓✓ and "read" on one's own messages). */
  peerDeliveredSeq: z.number().int(),
  peerReadSeq: z.number().int(),
  unread: z.number().int(),
})

export const ZOfficerCard = z.object({
  id: ZId,
  displayName: z.string(),
  rank: z.string().nullable(),
  title: z.string().nullable(),
  officialPhone: z.string().nullable(),
  photoUrl: z.string().nullable(),
})
export type TOfficerCard = z.infer<typeof ZOfficerCard>

/** What staff see of a resident in a direct conversation (audited read). */
export const ZResidentContext = z.object({
  id: ZId,
  displayName: z.string(),
  fullName: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  areaName: z.string().nullable(),
})

export const ZConversationView = z.object({
  id: ZId,
  kind: z.enum(['direct', 'group']),
  /** Where the resident writes from (web app, Messenger, Zalo); groups are always web. */
  channel: ZChannel,
  title: z.string(),
  status: z.enum(conversationStatusValues),
  labels: z.array(z.enum(conversationLabelValues)),
  areaId: ZId.nullable(),
  groupId: ZId.nullable(),
  assignee: ZOfficerCard.nullable(),
  lastSeq: z.number().int(),
  lastMessageAt: ZTime.nullable(),
  awaitingSince: ZTime.nullable(),
  firstResponseAt: ZTime.nullable(),
  resolvedAt: ZTime.nullable(),
  createdAt: ZTime,
  overdue: z.boolean(),
  dueAt: ZTime.nullable(),
  read: ZReadState,
  lastMessage: z
    .object({ excerpt: z.string(), authorName: z.string().nullable(), isStaff: z.boolean() })
    .nullable(),
  resident: z.object({ id: ZId, displayName: z.string() }).nullable(),
  can: z.array(z.string()),
})
export type TConversationView = z.infer<typeof ZConversationView>

export const ZMessagePage = z.object({ messages: z.array(ZMessageView), hasMore: z.boolean() })

export const ZSyncResponse = z.object({
  messages: z.array(ZMessageView),
  /** Pass as `after` next time. */
  cursor: z.number().int(),
  hasMore: z.boolean(),
})
export type TSyncResponse = z.infer<typeof ZSyncResponse>

export const ZGroupView = z.object({
  id: ZId,
  kind: z.enum(groupKindValues),
  name: z.string(),
  description: z.string(),
  unitId: ZId,
  unitName: z.string(),
  postingPolicy: z.enum(['everyone', 'staff_and_moderators']),
  joinPolicy: z.enum(['open', 'approval']),
  conversationId: ZId,
  /** When the group's last message was written: a resident's list of chats is sorted by it. */
  lastMessageAt: ZTime.nullable(),
  memberCount: z.number().int(),
  myRole: z.enum(['owner', 'moderator', 'member']).nullable(),
  myStatus: z.enum(['active', 'pending', 'muted', 'removed']).nullable(),
  can: z.array(z.string()),
  read: ZReadState.nullable(),
})
export type TGroupView = z.infer<typeof ZGroupView>

export const ZCreateGroupRequest = z.object({
  kind: z.enum(groupKindValues),
  unitId: ZId,
  name: z.string().trim().min(3).max(120),
  description: z.string().trim().max(2000).default(''),
  postingPolicy: z.enum(['everyone', 'staff_and_moderators']).default('everyone'),
  joinPolicy: z.enum(['open', 'approval']).default('approval'),
})

export const ZMemberView = z.object({
  userId: ZId,
  displayName: z.string(),
  isStaff: z.boolean(),
  role: z.enum(['owner', 'moderator', 'member']),
  status: z.enum(['active', 'pending', 'muted', 'removed']),
  mutedUntil: ZTime.nullable(),
  joinedAt: ZTime,
  /** Only for the area's officers and commanders (audited); moderators see display names only. */
  phone: z.string().nullable().optional(),
})
export type TMemberView = z.infer<typeof ZMemberView>

export const ZUpdateMemberRequest = z.object({
  role: z.enum(['moderator', 'member']).optional(),
  status: z.enum(['active', 'muted', 'removed']).optional(),
  mutedMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 365)
    .optional(),
})

export const ZInviteView = z.object({ code: z.string(), url: z.string(), qrSvg: z.string() })

/** The variables a canned reply may hold; they are filled in when the reply is used. */
export const cannedReplyVariables = ['resident_name', 'officer_name'] as const
export const CANNED_TITLE_MAX = 120

/** A canned reply in a conversation's picker: its variables filled in for that conversation. */
export const ZCannedReplyView = z.object({
  id: ZId,
  unitId: ZId,
  title: z.string(),
  body: z.string(),
  shared: z.boolean(),
})

const ZCannedTitle = z
  .string({ message: 'i18n:messaging.canned_title_required' })
  .trim()
  .min(2, 'i18n:messaging.canned_title_required')
  .max(CANNED_TITLE_MAX, 'i18n:messaging.canned_title_long')
const ZCannedBody = z
  .string({ message: 'i18n:messaging.canned_body_required' })
  .trim()
  .min(2, 'i18n:messaging.canned_body_required')
  .max(MESSAGE_MAX_CHARS, 'i18n:messaging.canned_body_long')
  // A misspelt variable would reach the resident as "{ten_nguoi_dan}": refuse it while writing.
  .refine(
    (body) =>
      [...body.matchAll(/\{([A-Za-z_]+)\}/g)].every((m) =>
        (cannedReplyVariables as readonly string[]).includes(m[1]!),
      ),
    'i18n:messaging.canned_variable_unknown',
  )
const ZCannedUnit = z.uuid({ message: 'i18n:messaging.canned_unit_required' })

export const ZCreateCannedReplyRequest = z.object({
  unitId: ZCannedUnit,
  title: ZCannedTitle,
  body: ZCannedBody,
  /** Shared with every officer under the unit (its commanders decide); otherwise the author's own. */
  shared: z.boolean().default(false),
})

/** An edit names the version it was made from; a newer version (a colleague's edit) wins with 409. */
export const ZUpdateCannedReplyRequest = z
  .object({
    version: z.number().int().min(1),
    unitId: ZCannedUnit.optional(),
    title: ZCannedTitle.optional(),
    body: ZCannedBody.optional(),
    shared: z.boolean().optional(),
  })
  .refine(
    (r) => r.unitId !== undefined || r.title !== undefined || r.body !== undefined || r.shared !== undefined,
    'i18n:messaging.canned_nothing_to_change',
  )

export const cannedReplyActionValues = ['edit', 'delete', 'share'] as const

/** A canned reply on the management page: the template as written, who wrote it, what the caller may do. */
export const ZCannedReplyItem = z.object({
  id: ZId,
  unitId: ZId,
  unitName: z.string(),
  title: z.string(),
  body: z.string(),
  shared: z.boolean(),
  mine: z.boolean(),
  author: z.object({ id: ZId, displayName: z.string() }).nullable(),
  updatedAt: z.string(),
  version: z.number().int(),
  can: z.array(z.enum(cannedReplyActionValues)),
})

export const ZCannedRepliesList = z.object({
  replies: z.array(ZCannedReplyItem),
  /** Units the caller may file a reply under, and whether they may share it there. */
  units: z.array(z.object({ id: ZId, name: z.string(), canShare: z.boolean() })),
})

export const ZUpdateConversationRequest = z.object({
  status: z.enum(conversationStatusValues).optional(),
  labels: z.array(z.enum(conversationLabelValues)).max(7).optional(),
})
export const ZTransferRequest = z.object({ toUserId: ZId, note: z.string().trim().max(1000).default('') })
export const ZReadRequest = z.object({
  readSeq: z.number().int().min(0).max(2_000_000_000).optional(),
  deliveredSeq: z.number().int().min(0).max(2_000_000_000).optional(),
})

export const ZInboxQuery = z.object({
  filter: z.enum(['mine', 'all', 'unassigned', 'resolved']).default('all'),
  q: z.string().trim().max(200).optional(),
})

/** A resident's question in a group that waits for the police (issue 19: the officers' inbox). */
export const ZGroupQuestionView = z.object({
  id: ZId,
  messageId: ZId,
  groupId: ZId,
  /** The group's conversation: the officer answers there, replying to the message. */
  conversationId: ZId,
  groupName: z.string(),
  authorName: z.string(),
  excerpt: z.string(),
  reason: z.enum(['mention', 'moderator']),
  askedAt: z.string(),
  answeredAt: z.string().nullable(),
})
export type TGroupQuestionView = z.infer<typeof ZGroupQuestionView>

export type TCannedReplyView = z.infer<typeof ZCannedReplyView>
export type TCannedReplyItem = z.infer<typeof ZCannedReplyItem>
export type TCannedRepliesList = z.infer<typeof ZCannedRepliesList>
export type TCreateCannedReplyRequest = z.input<typeof ZCreateCannedReplyRequest>
export type TUpdateCannedReplyRequest = z.infer<typeof ZUpdateCannedReplyRequest>
