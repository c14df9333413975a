import type { TGroupQuestionView } from '@common/schemas/messaging'
import type { TTipListItem } from '@common/schemas/tips'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { AlertTriangle, CheckCircle2, Megaphone, MessagesSquare, Send } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { apiFetch } from '../../api/client'
import { formatDateTime } from '../../lib/format'
import { inboxWorkKeys, markQuestionAnswered, useGroupQuestions, useUnansweredTips } from './inbox-work-api'
import { onStreamEvent } from './message-stream'

type Kind = 'tip' | 'alert_answer' | 'group_question'
const KIND_ICONS = { tip: Send, alert_answer: Megaphone, group_question: MessagesSquare } as const

/** What an item of the queue is, in icon and words (never colour alone). */
export function KindBadge({ kind }: { kind: Kind | 'conversation' }) {
  const { t } = useTranslation()
  const Icon = kind === 'conversation' ? MessagesSquare : KIND_ICONS[kind]
  return (
    <span className="kind-badge" data-kind={kind}>
      <Icon className="icon" aria-hidden="true" /> {t(`messaging.inbox.kinds.${kind}`)}
    </span>
  )
}

/**
 * The rest of the officer's live queue: tips and answers to alerts nobody has answered yet, and
 * residents' questions in groups (asked of the police, or passed on by a moderator). A question is
 * answered here, in the group, as a reply to it.
 */
export function InboxWork({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const tips = useUnansweredTips(enabled)
  const questions = useGroupQuestions(enabled)
  useEffect(
    () =>
      onStreamEvent((e) => {
        if (e.type === 'tip.changed' || e.type === 'alert.answered' || e.type === 'group_question.changed')
          void qc.invalidateQueries({ queryKey: inboxWorkKeys.all })
      }),
    [qc],
  )
  const count = (tips.data?.length ?? 0) + (questions.data?.length ?? 0)
  if (count === 0) return null
  return (
    <section className="inbox-work" aria-labelledby="inbox-work-title">
      <h2 id="inbox-work-title" className="inbox-work__title">
        {t('messaging.inbox.workTitle', { count })}
      </h2>
      <ul className="inbox__list">
        {questions.data?.map((q) => (
          <QuestionItem key={q.id} q={q} />
        ))}
        {tips.data?.map((tip) => (
          <TipItem key={tip.id} tip={tip} />
        ))}
      </ul>
    </section>
  )
}

function TipItem({ tip }: { tip: TTipListItem }) {
  const { t } = useTranslation()
  return (
    <li>
      <Link to={`/staff/tips/${tip.id}`} className="inbox__item" data-testid="inbox-work-item">
        <span className="inbox__item-head">
          <KindBadge kind={tip.source === 'alert_answer' ? 'alert_answer' : 'tip'} />
          <span>{tip.areaName}</span>
        </span>
        <span className="inbox__excerpt">{tip.excerpt}</span>
        <span className="inbox__item-foot">
          {tip.overdue ? (
            <span className="status-badge" data-status="overdue">
              <AlertTriangle className="icon" aria-hidden="true" /> {t('messaging.inbox.overdue')}
            </span>
          ) : (
            <span>{t('messaging.inbox.dueAt', { time: formatDateTime(tip.firstResponseDueAt) })}</span>
          )}
        </span>
      </Link>
    </li>
  )
}

function QuestionItem({ q }: { q: TGroupQuestionView }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [text, setText] = useState('')
  // One key per answer, kept across retries: a double tap sends once.
  const [clientKey] = useState(() => crypto.randomUUID())
  const done = () => qc.invalidateQueries({ queryKey: inboxWorkKeys.all })
  const reply = useMutation({
    mutationFn: () =>
      apiFetch(`/api/conversations/${q.conversationId}/messages`, {
        method: 'POST',
        body: { clientKey, body: text, replyToId: q.messageId },
      }),
    onSuccess: done,
  })
  const answered = useMutation({ mutationFn: () => markQuestionAnswered(q.id), onSuccess: done })
  return (
    <li className="inbox__item" data-testid="inbox-work-item">
      <span className="inbox__item-head">
        <KindBadge kind="group_question" />
        <Link to={`/groups/${q.groupId}`}>{q.groupName}</Link>
      </span>
      <span>
        <strong>{q.authorName}</strong>
        {q.reason === 'moderator' && ` · ${t('messaging.inbox.passedByModerator')}`}
      </span>
      <span className="inbox__question">{q.excerpt}</span>
      <span className="inbox__item-foot">
        <span>{formatDateTime(q.askedAt)}</span>
        <button
          type="button"
          className="btn btn--secondary btn--small"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {t('messaging.inbox.answerInGroup')}
        </button>
      </span>
      {open && (
        <form
          className="card-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (!reply.isPending) reply.mutate()
          }}
        >
          <label>
            {t('messaging.inbox.answerLabel', { name: q.authorName })}
            <textarea
              value={text}
              rows={3}
              required
              maxLength={4000}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <div className="composer__bar">
            <button
              type="button"
              className="btn btn--secondary btn--small"
              onClick={() => answered.mutate()}
              disabled={answered.isPending}
            >
              <CheckCircle2 className="icon" aria-hidden="true" /> {t('messaging.inbox.markAnswered')}
            </button>
            <button type="submit" className="btn btn--small" disabled={!text.trim() || reply.isPending}>
              <Send className="icon" aria-hidden="true" /> {t('messaging.inbox.sendInGroup')}
            </button>
          </div>
          {(reply.error || answered.error) && <p role="alert">{t('messaging.inbox.workError')}</p>}
        </form>
      )}
    </li>
  )
}
