import type { TMessageView, TSendMessageRequest } from '@common/schemas/messaging'
import { Clock, Mic, RotateCcw, Trash2 } from 'lucide-react'
import { forwardRef, type ReactNode, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { Composer } from './Composer'
import { askPolice } from './inbox-work-api'
import { MessageItem } from './MessageItem'
import { messagingApi } from './messaging-api'
import { sendQueue } from './send-queue'
import { useThread } from './use-thread'
import { formatClock } from './voice/voice-format'
import './messaging.css'

export interface ThreadProps {
  conversationId: string | null
  /** Where the outbox sends: 'ask' for a resident's conversation, else the conversation id. */
  queueTarget: string
  room?: string
  userId: string | null
  /** Staff viewing a direct conversation: receipts count only when the resident reads. */
  residentId?: string | null
  canPost: boolean
  canModerate?: boolean
  canReport?: boolean
  allowInternal?: boolean
  showReceipts?: boolean
  ensureConversation: () => Promise<string>
  blockedNotice?: string
  emptyText?: string
  /** The composer's hint; staff get their own wording, not the resident's question prompt. */
  placeholder?: string
  /** Added to every message sent from this thread (a group question for the police). */
  sendExtras?: Partial<TSendMessageRequest> | undefined
  draft?: string
  onDraftChange?: (value: string) => void
  /** Shown above the composer's text box (the officer's canned-reply picker). */
  composerTools?: ReactNode
  label: string
}

type PendingAction = { kind: 'edit' | 'hide' | 'report'; message: TMessageView; text: string } | null

/** A conversation: messages, the ones still waiting to go, moderation, and the composer. */
export const Thread = forwardRef<HTMLTextAreaElement, ThreadProps>(function Thread(p, composerRef) {
  const { t } = useTranslation()
  const thread = useThread(p.conversationId, {
    queueTarget: p.queueTarget,
    me: p.userId,
    residentId: p.residentId ?? null,
    ...(p.room ? { room: p.room } : {}),
  })
  const [replyTo, setReplyTo] = useState<TMessageView | null>(null)
  const [action, setAction] = useState<PendingAction>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const endRef = useRef<HTMLDivElement>(null)
  const listRef = useRef<HTMLOListElement>(null)
  const count = thread.messages.length + thread.outgoing.length

  useEffect(() => {
    if (!count) return
    endRef.current?.scrollIntoView?.({ block: 'end' })
    // Where the list scrolls on its own (the officer inbox), its newest message is shown too.
    const list = listRef.current
    if (list && list.scrollHeight > list.clientHeight) list.scrollTop = list.scrollHeight
  }, [count])

  const send = (request: Omit<TSendMessageRequest, 'clientKey'>) => {
    sendQueue().enqueue(p.queueTarget, { ...request, ...p.sendExtras })
  }

  const run = async (fn: () => Promise<TMessageView | undefined>) => {
    try {
      const updated = await fn()
      if (updated) thread.merge([updated])
      setAction(null)
    } catch (err) {
      setNotice(err instanceof ApiError ? (err.detail ?? err.title) : String(err))
    }
  }

  const submitAction = () => {
    if (!action) return
    const { kind, message, text } = action
    if (kind === 'edit') void run(() => messagingApi.edit(message.id, text))
    if (kind === 'hide') void run(() => messagingApi.hide(message.id, text))
    if (kind === 'report')
      void run(async () => {
        await messagingApi.report(message.id, text)
        setNotice(t('messaging.reportThanks'))
        return undefined
      })
  }

  const actionPrompt = !action
    ? ''
    : action.kind === 'edit'
      ? t('messaging.editPrompt')
      : action.kind === 'hide'
        ? t('messaging.hideReasonPrompt')
        : t('messaging.reportReasonPrompt')

  const caps = {
    userId: p.userId,
    canModerate: !!p.canModerate,
    canReport: !!p.canReport,
    peerDeliveredSeq: thread.peerDeliveredSeq,
    peerReadSeq: thread.peerReadSeq,
    showReceipts: !!p.showReceipts,
  }
  const handlers = {
    onReply: p.canPost ? setReplyTo : undefined,
    onEdit: (m: TMessageView) => setAction({ kind: 'edit', message: m, text: m.body }),
    onDelete: (m: TMessageView) => {
      if (globalThis.confirm?.(t('messaging.confirmDelete')) ?? true)
        void run(() => messagingApi.remove(m.id))
    },
    onHide: (m: TMessageView) => setAction({ kind: 'hide', message: m, text: '' }),
    onPin: (m: TMessageView, on: boolean) => void run(() => messagingApi.pin(m.id, on)),
    onReport: (m: TMessageView) => setAction({ kind: 'report', message: m, text: '' }),
    onAskPolice: p.canModerate
      ? (m: TMessageView) =>
          void run(async () => {
            await askPolice(m.id)
            setNotice(t('messaging.askPolice.passed'))
            return undefined
          })
      : undefined,
  }

  return (
    <section className="thread" aria-label={p.label}>
      {thread.pinned.length > 0 && (
        <div className="thread__pinned">
          <h3>{t('messaging.pinned')}</h3>
          <ul>
            {thread.pinned.map((m) => (
              <li key={m.id}>{m.kind === 'guidance' ? String(m.payload?.title ?? '') : m.body}</li>
            ))}
          </ul>
        </div>
      )}
      {thread.hasMore && (
        <button
          type="button"
          className="btn btn--secondary btn--small"
          onClick={() => void thread.loadOlder()}
        >
          {t('messaging.loadOlder')}
        </button>
      )}
      {thread.error ? <p role="alert">{t('messaging.loadError')}</p> : null}
      {!thread.loading && count === 0 && (
        <p className="thread__empty">{p.emptyText ?? t('messaging.emptyThread')}</p>
      )}
      <ol ref={listRef} className="thread__list" aria-live="polite" aria-relevant="additions">
        {thread.messages.map((m) => (
          <MessageItem key={m.id} m={m} caps={caps} on={handlers} />
        ))}
        {thread.outgoing.map((o) => (
          <li key={o.clientKey} className="msg msg--mine msg--outgoing" data-testid="outgoing">
            <div className="msg__bubble">
              {o.voice ? (
                <p className="msg__voice-pending">
                  <Mic className="icon" aria-hidden="true" /> {t('messaging.voice.message')}
                  {o.voice.durationMs ? ` · ${formatClock(o.voice.durationMs)}` : ''}
                </p>
              ) : (
                <p className="msg__text">{o.request.body}</p>
              )}
            </div>
            <div className="msg__foot">
              {o.state === 'waiting' ? (
                <span className="msg__receipt" title={t('messaging.waitingHint')}>
                  <Clock className="icon" aria-hidden="true" /> {t('messaging.waiting')}
                </span>
              ) : (
                <>
                  <span role="alert">{t('messaging.failed', { reason: o.error ?? '' })}</span>
                  <button
                    type="button"
                    className="btn btn--small btn--secondary"
                    onClick={() => sendQueue().retry(o.clientKey)}
                  >
                    <RotateCcw className="icon" aria-hidden="true" /> {t('messaging.retry')}
                  </button>
                  <button
                    type="button"
                    className="btn btn--small btn--secondary"
                    onClick={() => sendQueue().discard(o.clientKey)}
                  >
                    <Trash2 className="icon" aria-hidden="true" /> {t('messaging.discard')}
                  </button>
                </>
              )}
            </div>
          </li>
        ))}
      </ol>
      {notice && (
        <p className="thread__notice" role="status">
          {notice}
        </p>
      )}
      {action && (
        <form
          className="thread__action"
          aria-label={actionPrompt}
          onSubmit={(e) => {
            e.preventDefault()
            submitAction()
          }}
        >
          <label>
            {actionPrompt}
            <textarea
              value={action.text}
              rows={2}
              required
              minLength={action.kind === 'edit' ? 1 : 3}
              onChange={(e) => setAction({ ...action, text: e.target.value })}
            />
          </label>
          <div className="composer__bar">
            <button type="button" className="btn btn--secondary" onClick={() => setAction(null)}>
              {t('messaging.cancel')}
            </button>
            <button type="submit" className="btn">
              {action.kind === 'edit'
                ? t('messaging.save')
                : action.kind === 'hide'
                  ? t('messaging.hide')
                  : t('messaging.report')}
            </button>
          </div>
        </form>
      )}
      {p.canPost ? (
        <Composer
          ref={composerRef}
          onSend={send}
          ensureConversation={p.ensureConversation}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          onSendVoice={(recording, durationMs, request) =>
            void sendQueue().enqueueVoice(p.queueTarget, recording, durationMs, request)
          }
          allowInternal={!!p.allowInternal}
          tools={p.composerTools}
          {...(p.placeholder ? { placeholder: p.placeholder } : {})}
          {...(p.draft !== undefined ? { value: p.draft } : {})}
          {...(p.onDraftChange ? { onChange: p.onDraftChange } : {})}
        />
      ) : (
        p.blockedNotice && <p className="thread__blocked">{p.blockedNotice}</p>
      )}
      {/* After the composer: opening a long conversation shows its newest messages and the box to answer. */}
      <div ref={endRef} className="thread__end" />
    </section>
  )
})
