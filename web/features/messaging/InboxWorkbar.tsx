import { conversationLabelValues, type TConversationView } from '@common/schemas/messaging'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import {
  AlertTriangle,
  ArrowLeft,
  CheckCircle2,
  Circle,
  Clock,
  MessageSquareText,
  PanelRightClose,
  PanelRightOpen,
  RotateCcw,
  Send,
  Tags,
  UserRound,
} from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { ApiError } from '../../api/client'
import { SmsReplyPanel } from '../sms/SmsReplyPanel'
import { ChannelBadge } from './ChannelBadge'
import { messagingApi, messagingKeys } from './messaging-api'

/** Status with icon and text (never colour alone); overdue wins. */
export function StatusBadge({ c }: { c: TConversationView }) {
  const { t } = useTranslation()
  if (c.overdue)
    return (
      <span className="status-badge" data-status="overdue">
        <AlertTriangle className="icon" aria-hidden="true" /> {t('messaging.inbox.overdue')}
      </span>
    )
  const map = {
    open: ['open', Circle],
    waiting_on_resident: ['waiting', Clock],
    resolved: ['resolved', CheckCircle2],
  } as const
  const [status, Icon] = map[c.status]
  return (
    <span className="status-badge" data-status={status}>
      <Icon className="icon" aria-hidden="true" /> {t(`messaging.inbox.status.${c.status}`)}
    </span>
  )
}

/**
 * The thread's header, kept to two short rows so the messages start above the fold: who and
 * status; then resolve, wait on the resident, hand over, labels (folded) and the context panel.
 */
export function InboxWorkbar({
  conversation: c,
  contextCollapsed,
  onToggleContext,
}: {
  conversation: TConversationView
  contextCollapsed: boolean
  onToggleContext: () => void
}) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [showTransfer, setShowTransfer] = useState(false)
  const [showSms, setShowSms] = useState(false)
  const [showLabels, setShowLabels] = useState(false)
  const [to, setTo] = useState('')
  const [note, setNote] = useState('')
  const [done, setDone] = useState<string | null>(null)
  const refresh = () => qc.invalidateQueries({ queryKey: messagingKeys.all })
  const update = useMutation({
    mutationFn: (body: { status?: string; labels?: string[] }) => messagingApi.update(c.id, body),
    onSuccess: refresh,
  })
  const colleagues = useQuery({
    queryKey: messagingKeys.colleagues(c.id),
    queryFn: () => messagingApi.colleagues(c.id),
    enabled: showTransfer,
  })
  const transfer = useMutation({
    mutationFn: () => messagingApi.transfer(c.id, to, note),
    onSuccess: () => {
      setShowTransfer(false)
      setNote('')
      setDone(t('messaging.inbox.transferDone'))
      void refresh()
    },
  })
  const toggleLabel = (label: string) =>
    update.mutate({
      labels: c.labels.includes(label as never) ? c.labels.filter((l) => l !== label) : [...c.labels, label],
    })
  const err = (update.error ?? transfer.error) as ApiError | null

  return (
    <div className="workbar">
      <div className="workbar__head">
        <Link to="/staff/inbox" className="workbar__back inbox__phone-only">
          <ArrowLeft className="icon" aria-hidden="true" />
          <span className="visually-hidden">{t('messaging.inbox.back')}</span>
        </Link>
        <h2>{c.title}</h2>
        <StatusBadge c={c} />
        <ChannelBadge channel={c.channel} />
        <span className="workbar__assignee">
          {c.assignee
            ? t('messaging.inbox.assignee', { name: c.assignee.displayName })
            : t('messaging.inbox.unassigned')}
        </span>
      </div>
      <div className="workbar__actions">
        {c.status === 'resolved' ? (
          <button
            type="button"
            className="btn btn--secondary btn--small"
            onClick={() => update.mutate({ status: 'open' })}
          >
            <RotateCcw className="icon" aria-hidden="true" /> {t('messaging.inbox.reopen')}
          </button>
        ) : (
          <>
            <button
              type="button"
              className="btn btn--small"
              onClick={() => update.mutate({ status: 'resolved' })}
            >
              <CheckCircle2 className="icon" aria-hidden="true" /> {t('messaging.inbox.resolve')}
            </button>
            <button
              type="button"
              className="btn btn--secondary btn--small"
              onClick={() => update.mutate({ status: 'waiting_on_resident' })}
            >
              <Clock className="icon" aria-hidden="true" /> {t('messaging.inbox.waitOnResident')}
            </button>
          </>
        )}
        {c.resident && (
          <button
            type="button"
            className="btn btn--secondary btn--small"
            aria-expanded={showSms}
            onClick={() => setShowSms(!showSms)}
          >
            <MessageSquareText className="icon" aria-hidden="true" /> {t('sms.reply.open')}
          </button>
        )}
        <button
          type="button"
          className="btn btn--secondary btn--small"
          aria-expanded={showTransfer}
          onClick={() => setShowTransfer(!showTransfer)}
        >
          <Send className="icon" aria-hidden="true" /> {t('messaging.inbox.transfer')}
        </button>
        <button
          type="button"
          className="btn btn--secondary btn--small"
          aria-expanded={showLabels}
          aria-controls="workbar-labels"
          onClick={() => setShowLabels(!showLabels)}
        >
          <Tags className="icon" aria-hidden="true" />{' '}
          {c.labels.length > 0
            ? t('messaging.inbox.labelsCount', { count: c.labels.length })
            : t('messaging.inbox.labelsTitle')}
        </button>
        <Link to={`/staff/inbox/${c.id}/context`} className="btn btn--secondary btn--small inbox__phone-only">
          <UserRound className="icon" aria-hidden="true" /> {t('messaging.inbox.contextOpen')}
        </Link>
        <button
          type="button"
          className="btn btn--secondary btn--small inbox__desk-only"
          aria-expanded={!contextCollapsed}
          onClick={onToggleContext}
        >
          {contextCollapsed ? (
            <PanelRightOpen className="icon" aria-hidden="true" />
          ) : (
            <PanelRightClose className="icon" aria-hidden="true" />
          )}{' '}
          {contextCollapsed ? t('messaging.inbox.contextShow') : t('messaging.inbox.contextHide')}
        </button>
      </div>
      <fieldset className="workbar__labels" id="workbar-labels" hidden={!showLabels}>
        <legend>{t('messaging.inbox.labelsTitle')}</legend>
        {conversationLabelValues.map((l) => (
          <button
            key={l}
            type="button"
            className="chip"
            aria-pressed={c.labels.includes(l)}
            onClick={() => toggleLabel(l)}
          >
            {t(`messaging.inbox.labels.${l}`)}
          </button>
        ))}
      </fieldset>
      {showTransfer && (
        <form
          className="card-form"
          onSubmit={(e) => {
            e.preventDefault()
            transfer.mutate()
          }}
        >
          <label>
            {t('messaging.inbox.transferTo')}
            <select value={to} onChange={(e) => setTo(e.target.value)} required>
              <option value="" />
              {colleagues.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('messaging.inbox.transferNote')}
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={1000} />
          </label>
          <button type="submit" className="btn btn--small" disabled={!to || transfer.isPending}>
            {t('messaging.inbox.transfer')}
          </button>
        </form>
      )}
      {showSms && <SmsReplyPanel conversationId={c.id} onClose={() => setShowSms(false)} />}
      {done && <p role="status">{done}</p>}
      {err && <p role="alert">{err.detail ?? err.title}</p>}
    </div>
  )
}
