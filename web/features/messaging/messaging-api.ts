import type {
  TConversationView,
  TGroupView,
  TMemberView,
  TMessageView,
  TOfficerCard,
  TSendMessageRequest,
  TSyncResponse,
} from '@common/schemas/messaging'
import type { TProcedureSearchResults } from '@common/schemas/procedures'
import { useQuery } from '@tanstack/react-query'
import { apiFetch, idempotencyKeyOf } from '../../api/client'

export const messagingKeys = {
  all: ['messaging'] as const,
  ask: ['messaging', 'ask'] as const,
  conversation: (id: string) => ['messaging', 'conversation', id] as const,
  messages: (id: string) => ['messaging', 'messages', id] as const,
  inbox: (filter: string, q: string) => ['messaging', 'inbox', filter, q] as const,
  context: (id: string) => ['messaging', 'context', id] as const,
  canned: (id: string) => ['messaging', 'canned', id] as const,
  colleagues: (id: string) => ['messaging', 'colleagues', id] as const,
  groups: ['messaging', 'groups'] as const,
  group: (id: string) => ['messaging', 'group', id] as const,
  members: (id: string) => ['messaging', 'members', id] as const,
  invite: (id: string) => ['messaging', 'invite', id] as const,
  reports: (id: string) => ['messaging', 'reports', id] as const,
}

export interface AskPage {
  areaName: string
  officer: TOfficerCard | null
  conversation: TConversationView | null
}

export interface MessagePage {
  messages: TMessageView[]
  pinned: TMessageView[]
  hasMore: boolean
}

export interface SendResponse {
  message: TMessageView
  conversationId: string
}

export interface UploadedFile {
  fileId: string
  kind: 'photo' | 'file' | 'voice'
  durationMs: number | null
  name: string
  url: string
  thumbUrl: string | null
}

export interface CannedReply {
  id: string
  title: string
  body: string
  /** Shared with the unit (else the officer's own). */
  shared: boolean
}

export interface ResidentContext {
  resident: {
    id: string
    displayName: string
    fullName: string | null
    phone: string | null
    address: string | null
    areaName: string | null
  } | null
  transfers: { fromName: string | null; toName: string; note: string; at: string }[]
}

export interface ProcedureHit {
  id: string
  title: string
  titleEn: string
}

export const messagingApi = {
  ask: () => apiFetch<AskPage>('/api/ask'),
  openAsk: () => apiFetch<{ conversationId: string }>('/api/ask', { method: 'POST' }),
  conversation: (id: string) => apiFetch<TConversationView>(`/api/conversations/${id}`),
  messages: (id: string, beforeSeq?: number) =>
    apiFetch<MessagePage>(
      `/api/conversations/${id}/messages?limit=50${beforeSeq ? `&beforeSeq=${beforeSeq}` : ''}`,
    ),
  /** `target` is 'ask' (the resident's own conversation, created on first use) or a conversation id. */
  send: (target: string, body: TSendMessageRequest) =>
    apiFetch<SendResponse>(target === 'ask' ? '/api/ask/messages' : `/api/conversations/${target}/messages`, {
      method: 'POST',
      body,
      // The outbox's client key, kept across reloads: a resend is answered with the first message.
      idempotencyKey: idempotencyKeyOf(body.clientKey),
    }),
  read: (id: string, seq: number) =>
    apiFetch(`/api/conversations/${id}/read`, { method: 'POST', body: { readSeq: seq, deliveredSeq: seq } }),
  upload: (conversationId: string, file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return apiFetch<UploadedFile>(`/api/conversations/${conversationId}/attachments`, {
      method: 'POST',
      body: form,
    })
  },
  /** A recorded voice message; the key makes a retried upload return the first one. */
  uploadVoice: (conversationId: string, recording: Blob, idempotencyKey: string) => {
    const form = new FormData()
    const extension = recording.type.includes('ogg') ? 'ogg' : 'webm'
    form.append('file', recording, `tin-nhan-thoai.${extension}`)
    return apiFetch<UploadedFile>(`/api/conversations/${conversationId}/attachments`, {
      method: 'POST',
      body: form,
      idempotencyKey,
    })
  },
  sync: (after?: number, signal?: AbortSignal) =>
    apiFetch<TSyncResponse>(`/api/sync${after === undefined ? '' : `?after=${after}`}`, { signal }),
  edit: (id: string, body: string) =>
    apiFetch<TMessageView>(`/api/messages/${id}`, { method: 'PATCH', body: { body } }),
  remove: (id: string) => apiFetch<TMessageView>(`/api/messages/${id}`, { method: 'DELETE' }),
  hide: (id: string, reason: string) =>
    apiFetch<TMessageView>(`/api/messages/${id}/hide`, { method: 'POST', body: { reason } }),
  pin: (id: string, on: boolean) =>
    apiFetch<TMessageView>(`/api/messages/${id}/pin`, { method: on ? 'POST' : 'DELETE' }),
  report: (id: string, reason: string) =>
    apiFetch<void>(`/api/messages/${id}/report`, { method: 'POST', body: { reason } }),
  inbox: (filter: string, q: string) =>
    apiFetch<{ conversations: TConversationView[] }>(
      `/api/inbox?filter=${filter}${q ? `&q=${encodeURIComponent(q)}` : ''}`,
    ),
  update: (id: string, body: { status?: string; labels?: string[] }) =>
    apiFetch<TConversationView>(`/api/conversations/${id}`, { method: 'PATCH', body }),
  transfer: (id: string, toUserId: string, note: string) =>
    apiFetch<TConversationView>(`/api/conversations/${id}/transfer`, {
      method: 'POST',
      body: { toUserId, note },
    }),
  context: (id: string) => apiFetch<ResidentContext>(`/api/conversations/${id}/context`),
  canned: (id: string) => apiFetch<CannedReply[]>(`/api/conversations/${id}/canned-replies`),
  colleagues: (id: string) =>
    apiFetch<{ id: string; displayName: string; rank: string | null }[]>(
      `/api/conversations/${id}/colleagues`,
    ),
  /**
   * Procedures that match the question (the procedures module's search), for the officer to link,
   * each with what matched; `none` when the question needs no procedure.
   */
  procedures: (q: string) =>
    apiFetch<TProcedureSearchResults>(`/api/procedures/search?q=${encodeURIComponent(q.slice(0, 200))}`).then(
      (r) => ({
        none: r.none,
        // "None" means no card at all, whatever else the answer carries: never a wrong card.
        results: (r.none ? [] : r.results)
          .slice(0, 5)
          .map((h) => ({ id: h.id, title: h.nameVi, titleEn: h.nameEn, why: h.why })),
      }),
    ),
  groups: () => apiFetch<{ groups: TGroupView[] }>('/api/groups'),
  group: (id: string) => apiFetch<TGroupView>(`/api/groups/${id}`),
  members: (id: string) => apiFetch<{ members: TMemberView[] }>(`/api/groups/${id}/members`),
  updateMember: (
    id: string,
    userId: string,
    body: { role?: string; status?: string; mutedMinutes?: number },
  ) => apiFetch(`/api/groups/${id}/members/${userId}`, { method: 'PATCH', body }),
  invite: (id: string) => apiFetch<{ code: string; url: string; qrSvg: string }>(`/api/groups/${id}/invite`),
  preview: (code: string) =>
    apiFetch<{ id: string; name: string; kind: string; unitName: string; joinPolicy: string }>(
      `/api/groups/invites/${code}`,
    ),
  join: (code: string) => apiFetch<TGroupView>('/api/groups/join', { method: 'POST', body: { code } }),
  reports: (id: string) =>
    apiFetch<
      {
        id: string
        messageId: string
        reason: string
        reporterName: string
        excerpt: string
        messageHidden: boolean
      }[]
    >(`/api/groups/${id}/reports`),
}

export const useAskPage = (enabled = true) =>
  useQuery({ queryKey: messagingKeys.ask, queryFn: messagingApi.ask, retry: false, enabled })
