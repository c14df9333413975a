import type { TMessageView } from '@common/schemas/messaging'
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { realtime } from '../../api/realtime'
import { onMessages, onStreamEvent, resync } from './message-stream'
import { messagingApi, messagingKeys } from './messaging-api'
import { type Outgoing, sendQueue } from './send-queue'

export interface ThreadState {
  messages: TMessageView[]
  pinned: TMessageView[]
  /** Messages written here and not yet acknowledged by the server ("chờ gửi"). */
  outgoing: Outgoing[]
  loading: boolean
  error: unknown
  hasMore: boolean
  peerDeliveredSeq: number
  peerReadSeq: number
}

/**
 * A conversation thread kept current: the first page over HTTP, then socket events and resyncs,
 * merged by message id and ordered by seq. Marks what it shows as delivered and read.
 * `queueTarget` is where the outbox sends ('ask' for the resident's first message).
 */
export function useThread(
  conversationId: string | null,
  opts: { queueTarget?: string; room?: string; me?: string | null; residentId?: string | null } = {},
) {
  const [byId, setById] = useState<Map<string, TMessageView>>(new Map())
  const [pinned, setPinned] = useState<TMessageView[]>([])
  const [loading, setLoading] = useState(!!conversationId)
  const [error, setError] = useState<unknown>(null)
  const [hasMore, setHasMore] = useState(false)
  const [peer, setPeer] = useState({ delivered: 0, read: 0 })
  const queueTarget = opts.queueTarget ?? conversationId ?? ''
  const [outgoing, setOutgoing] = useState<Outgoing[]>(() => sendQueue().list(queueTarget))
  const lastMarked = useRef(0)
  const queryClient = useQueryClient()

  const merge = useCallback(
    (list: TMessageView[]) => {
      if (!conversationId) return
      const mine = list.filter((m) => m.conversationId === conversationId)
      if (!mine.length) return
      setById((prev) => {
        const next = new Map(prev)
        for (const m of mine) {
          const old = next.get(m.id)
          if (!old || old.position <= m.position) next.set(m.id, m)
        }
        return next
      })
      setPinned((prev) => {
        const others = prev.filter((p) => !mine.some((m) => m.id === p.id))
        return [...others, ...mine.filter((m) => m.pinnedAt && !m.hidden && !m.deletedAt)]
      })
    },
    [conversationId],
  )

  useEffect(() => {
    if (!conversationId) return
    let cancelled = false
    setLoading(true)
    messagingApi
      .messages(conversationId)
      .then((page) => {
        if (cancelled) return
        setById(new Map(page.messages.map((m) => [m.id, m])))
        setPinned(page.pinned)
        setHasMore(page.hasMore)
        setError(null)
        void resync()
      })
      .catch((err: unknown) => !cancelled && setError(err))
      .finally(() => !cancelled && setLoading(false))
    messagingApi
      .conversation(conversationId)
      .then((c) => !cancelled && setPeer({ delivered: c.read.peerDeliveredSeq, read: c.read.peerReadSeq }))
      .catch(() => undefined)
    return () => {
      cancelled = true
    }
  }, [conversationId])

  useEffect(() => onMessages(merge), [merge])

  useEffect(
    () =>
      onStreamEvent((e) => {
        if (e.type !== 'conversation.read' || e.conversationId !== conversationId) return
        // Receipts come from the other side only: the resident for staff, anyone but oneself for the resident.
        if (opts.residentId ? e.userId !== opts.residentId : e.userId === opts.me) return
        setPeer((p) => ({
          delivered: Math.max(p.delivered, e.lastDeliveredSeq ?? 0),
          read: Math.max(p.read, e.lastReadSeq ?? 0),
        }))
      }),
    [conversationId, opts.me, opts.residentId],
  )

  useEffect(() => {
    if (!opts.room) return
    const rt = realtime()
    rt.subscribe([opts.room])
    return () => rt.unsubscribe([opts.room!])
  }, [opts.room])

  useEffect(() => {
    const q = sendQueue()
    setOutgoing(q.list(queueTarget))
    const off = q.subscribe(() => setOutgoing(q.list(queueTarget)))
    const offSent = q.onSent((sent) => merge([sent.message]))
    return () => {
      off()
      offSent()
    }
  }, [queueTarget, merge])

  const messages = useMemo(() => [...byId.values()].sort((a, b) => a.seq - b.seq), [byId])
  const keys = useMemo(() => new Set(messages.map((m) => m.clientKey)), [messages])
  const lastSeq = messages.at(-1)?.seq ?? 0

  // What is on screen while the page is visible is delivered and read.
  useEffect(() => {
    if (!conversationId || lastSeq <= lastMarked.current) return
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return
    lastMarked.current = lastSeq
    void messagingApi
      .read(conversationId, lastSeq)
      // A group's read publishes no event (no receipts in groups): the bar's counts refresh from here.
      .then(() => queryClient.invalidateQueries({ queryKey: messagingKeys.groups }))
      .catch(() => {
        lastMarked.current = 0
      })
  }, [conversationId, lastSeq, queryClient])

  const loadOlder = useCallback(async () => {
    if (!conversationId || !messages[0]) return
    const page = await messagingApi.messages(conversationId, messages[0].seq)
    merge(page.messages)
    setHasMore(page.hasMore)
  }, [conversationId, messages, merge])

  const state: ThreadState = {
    messages,
    pinned,
    outgoing: outgoing.filter((o) => !keys.has(o.clientKey)),
    loading,
    error,
    hasMore,
    peerDeliveredSeq: peer.delivered,
    peerReadSeq: peer.read,
  }
  return { ...state, merge, loadOlder }
}
