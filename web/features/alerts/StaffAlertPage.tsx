import { CheckCircle2, CircleSlash, Megaphone, PencilLine, ThumbsDown, ThumbsUp } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { AlertChannelPosts } from './AlertChannelPosts'
import { AlertHistory, AlertStatus } from './AlertParts'
import { useAlert, useAlertAction, useAnswers } from './alerts-api'
import { AlertStats } from './StaffAlertsPage'
import { useAlertsRealtime } from './use-alerts-realtime'

const errorText = (e: unknown) =>
  e instanceof ApiError ? (e.errors?.[0]?.message ?? e.detail ?? e.title) : null

/** /staff/alerts/:id: reach, answers, and the life cycle (approve, update, close, cancel). */
export function StaffAlertPage() {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const { data: alert, isError } = useAlert(id)
  useDocumentTitle(alert?.headline ?? t('pages.staffAlerts'))
  useAlertsRealtime(id ? [`alert:${id}`] : [])
  const canSeeAnswers = !!alert?.can.includes('readStaff')
  const { data: answers } = useAnswers(id, canSeeAnswers)
  const submit = useAlertAction(id, 'submit')
  const approve = useAlertAction(id, 'approve')
  const reject = useAlertAction<{ reason: string }>(id, 'reject')
  if (isError) return <p role="alert">{t('alerts.notFound')}</p>
  if (!alert) return <p role="status">{t('alerts.loading')}</p>
  const can = (a: string) => alert.can.includes(a)
  return (
    <article className="alert-page">
      <p>
        <Link to="/staff/alerts">{t('alerts.backToList')}</Link>
      </p>
      <AlertStatus alert={alert} /> <span className="status-badge">{t(`alerts.state.${alert.state}`)}</span>
      <h1>{alert.headline}</h1>
      {alert.outcome && <p className="alert-page__outcome">{alert.outcome}</p>}
      <AlertStats alert={alert} />
      <AlertChannelPosts alert={alert} />
      <p className="alert-page__text">{alert.description}</p>
      <AlertHistory alert={alert} />
      <p className="alert-card__meta">
        {alert.targets.map((x) => x.name).join(', ')}
        {alert.author ? ` · ${alert.author.displayName}` : ''}
      </p>
      {alert.rejectedReason && (
        <p role="status">{t('alerts.rejectedBecause', { reason: alert.rejectedReason })}</p>
      )}
      {alert.state === 'pending_approval' && !can('approve') && (
        <p role="status">{t('alerts.waitingApproval')}</p>
      )}
      <div className="alert-compose__actions">
        {can('submit') && (
          <button type="button" className="btn" onClick={() => submit.mutate(undefined)}>
            <Megaphone className="icon" aria-hidden="true" />
            {t('alerts.compose.publish')}
          </button>
        )}
        {can('approve') && (
          <button type="button" className="btn" onClick={() => approve.mutate(undefined)}>
            <ThumbsUp className="icon" aria-hidden="true" />
            {t('alerts.approve')}
          </button>
        )}
        {can('reject') && (
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() => {
              const reason = window.prompt(t('alerts.rejectReason'))
              if (reason) reject.mutate({ reason })
            }}
          >
            <ThumbsDown className="icon" aria-hidden="true" />
            {t('alerts.reject')}
          </button>
        )}
      </div>
      {[submit.error, approve.error, reject.error]
        .map((e) => errorText(e))
        .filter(Boolean)
        .map((m) => (
          <p key={m} role="alert">
            {m}
          </p>
        ))}
      {can('manage') && <LifeCycleForms alertId={alert.id} />}
      {canSeeAnswers && (
        <section aria-labelledby="answers-heading">
          <h2 id="answers-heading">{t('alerts.answersTitle', { n: answers?.length ?? 0 })}</h2>
          {answers?.length === 0 && <p>{t('alerts.noAnswers')}</p>}
          <ul className="alert-answers">
            {answers?.map((a) => (
              <li key={a.id}>
                <p className="alert-page__text">{a.body}</p>
                <p className="alert-card__meta">
                  {a.author.displayName}
                  {a.author.phone ? ` · ${a.author.phone}` : ''} · {formatDateTime(a.createdAt)}
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
      {alert.messages && (
        <section aria-labelledby="versions-heading">
          <h2 id="versions-heading">{t('alerts.versions')}</h2>
          <ol>
            {alert.messages.map((m) => (
              <li key={m.version}>
                {t(`alerts.msgType.${m.msgType}`)} · {formatDateTime(m.sent)} · {m.note ?? m.headline}
              </li>
            ))}
          </ol>
        </section>
      )}
    </article>
  )
}

function LifeCycleForms({ alertId }: { alertId: string }) {
  const { t } = useTranslation()
  const update = useAlertAction<Record<string, unknown>>(alertId, 'updates')
  const cancel = useAlertAction<{ note: string }>(alertId, 'cancel')
  const [text, setText] = useState('')
  const [outcome, setOutcome] = useState('')
  const onUpdate = (e: FormEvent) => {
    e.preventDefault()
    // The text is appended to the alert's history; the description stays as published.
    update.mutate({ note: text }, { onSuccess: () => setText('') })
  }
  const onClose = (e: FormEvent) => {
    e.preventDefault()
    update.mutate({ close: { outcome } })
  }
  return (
    <>
      <form className="alert-answer" onSubmit={onClose}>
        <label htmlFor="alert-outcome">{t('alerts.closeLabel')}</label>
        <input
          id="alert-outcome"
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
          placeholder={t('alerts.closePlaceholder')}
        />
        <button type="submit" className="btn">
          <CheckCircle2 className="icon" aria-hidden="true" />
          {t('alerts.close')}
        </button>
      </form>
      <form className="alert-answer" onSubmit={onUpdate}>
        <label htmlFor="alert-update">{t('alerts.updateLabel')}</label>
        <textarea id="alert-update" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="btn btn--secondary">
          <PencilLine className="icon" aria-hidden="true" />
          {t('alerts.sendUpdate')}
        </button>
      </form>
      <button
        type="button"
        className="btn btn--secondary"
        onClick={() => {
          const note = window.prompt(t('alerts.cancelReason'))
          if (note) cancel.mutate({ note })
        }}
      >
        <CircleSlash className="icon" aria-hidden="true" />
        {t('alerts.cancel')}
      </button>
      {[update.error, cancel.error]
        .map((e) => errorText(e))
        .filter(Boolean)
        .map((m) => (
          <p key={m} role="alert">
            {m}
          </p>
        ))}
    </>
  )
}
