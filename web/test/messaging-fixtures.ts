import type { TConversationView, TMessageView } from '@common/schemas/messaging'

export const CONVERSATION = '5d1c6a2e-3f4b-4c5d-8e9f-0a1b2c3d4e5f'
export const RESIDENT = { id: '9a7e7a3c-2b1d-4e5f-8a9b-0c1d2e3f4a5b', displayName: 'Nguyễn Thị Lan' }
export const OFFICER = { id: '1f2e3d4c-5b6a-4978-8a9b-cdef01234567', displayName: 'Thượng úy Lê Đức Chương' }

let n = 0
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`

/** A message as the server presents it (common/schemas/messaging). */
export function messageView(
  body: string,
  over: Partial<TMessageView> & { clientKey?: string | null; seq?: number } = {},
): TMessageView {
  const seq = over.seq ?? ++n
  return {
    id: id(),
    conversationId: CONVERSATION,
    seq,
    position: seq,
    kind: 'text',
    body,
    attachments: [],
    payload: null,
    author: { ...RESIDENT, isStaff: false, rank: null },
    replyTo: null,
    mentions: [],
    clientKey: null,
    isInternal: false,
    createdAt: new Date().toISOString(),
    editedAt: null,
    deletedAt: null,
    hidden: null,
    pinnedAt: null,
    delivery: null,
    ...over,
  } satisfies TMessageView
}

/** A direct conversation as it appears in the officer's inbox. */
export function conversationView(title: string, over: Partial<TConversationView> = {}): TConversationView {
  return {
    id: id(),
    kind: 'direct',
    channel: 'web',
    title,
    status: 'open',
    labels: [],
    areaId: null,
    groupId: null,
    assignee: null,
    lastSeq: 1,
    lastMessageAt: new Date().toISOString(),
    awaitingSince: null,
    firstResponseAt: null,
    resolvedAt: null,
    createdAt: new Date().toISOString(),
    overdue: false,
    dueAt: null,
    read: { lastReadSeq: 0, lastDeliveredSeq: 0, peerDeliveredSeq: 0, peerReadSeq: 0, unread: 0 },
    lastMessage: null,
    resident: RESIDENT,
    can: [],
    ...over,
  } satisfies TConversationView
}

/** The area of the signed-in resident below. */
export const AREA = '3b0c1f5e-8a1d-4c39-9d6e-0f4a2b7c9d11'
/** GET /api/auth/session's user for a resident of AREA. */
export const residentSession = { ...RESIDENT, kind: 'resident', locale: 'vi', areaId: AREA, roles: [] }
