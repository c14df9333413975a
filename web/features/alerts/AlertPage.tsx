import type { TAlertView } from '@common/schemas/alerts'
import { Send, Share2 } from 'lucide-react'
import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { AlertHistory, AlertStatus, CheckCallerLink } from './AlertParts'
import { sendReceipt, useAlert, useAlertAction } from './alerts-api'
import { useResidentAlertRooms } from './ResidentAlertsPage'
import { useAlertsRealtime } from './use-alerts-realtime'

/** /alerts/:id — the alert as a resident reads it, with "I have information" and share. */
export function AlertPage() {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  useAlertsRealtime(useResidentAlertRooms(), { confirmDelivery: true })
  const { data: alert, isError } = useAlert(id)
  useDocumentTitle(alert?.headline ?? t('alerts.listTitle'))
  const recipient = !!alert?.mine
  useEffect(() => {
    if (recipient && !alert?.mine?.readAt) sendReceipt(id, 'read')
  }, [id, recipient, alert?.mine?.readAt])
  if (isError) return <p role="alert">{t('alerts.notFound')}</p>
  if (!alert) return <p role="status">{t('alerts.loading')}</p>
  return (
    <article className="alert-page">
      <AlertStatus alert={alert} />
      <h1>{alert.headline}</h1>
      {alert.outcome && (
        <p className="alert-page__outcome" role="status">
          {alert.outcome}
        </p>
      )}
      {alert.photos.map((p) => (
        <a key={p.id} href={p.url} className="alert-page__photo">
          <img src={p.thumbUrl} alt={p.description || alert.headline} width={Math.min(p.width, 480)} />
        </a>
      ))}
      <p className="alert-page__text">{alert.description}</p>
      <AlertHistory alert={alert} />
      {alert.instruction && (
        <section className="alert-page__box">
          <h2>{t('alerts.whatToDo')}</h2>
          <p className="alert-page__text">{alert.instruction}</p>
        </section>
      )}
      {alert.contact && (
        <p>
          <strong>{t('alerts.contact')}</strong> {alert.contact}
        </p>
      )}
      {alert.kind === 'scam_warning' && <CheckCallerLink />}
      <p className="alert-card__meta">
        {alert.issuingUnit.name}
        {alert.publishedAt ? ` · ${formatDateTime(alert.publishedAt)}` : ''} ·{' '}
        {alert.targets.map((x) => x.name).join(', ')}
      </p>
      <ShareButton alert={alert} />
      {alert.can.includes('answer') && <AnswerForm alertId={alert.id} kind={alert.kind} />}
    </article>
  )
}

function ShareButton({ alert }: { alert: TAlertView }) {
  const { t } = useTranslation()
  const share = useAlertAction<undefined, void>(alert.id, 'share')
  const [copied, setCopied] = useState(false)
  const url = `${location.origin}${alert.shareUrl}`
  const onShare = async () => {
    try {
      if (navigator.share) await navigator.share({ title: alert.headline, url })
      else {
        await navigator.clipboard?.writeText(url)
        setCopied(true)
      }
      share.mutate(undefined)
    } catch {
      // The person closed the share sheet: nothing was shared.
    }
  }
  return (
    <p>
      <button type="button" className="btn btn--secondary" onClick={onShare}>
        <Share2 className="icon" aria-hidden="true" />
        {t('alerts.share')}
      </button>{' '}
      {copied && <span role="status">{t('alerts.linkCopied')}</span>}
    </p>
  )
}

function AnswerForm({ alertId, kind }: { alertId: string; kind: TAlertView['kind'] }) {
  const { t } = useTranslation()
  const answer = useAlertAction<{ body: string }, { id: string }>(alertId, 'answers')
  const [body, setBody] = useState('')
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    answer.mutate({ body }, { onSuccess: () => setBody('') })
  }
  const error =
    answer.error instanceof ApiError ? (answer.error.fieldMessage('body') ?? answer.error.detail) : null
  const label =
    kind === 'missing_person' || kind === 'found_person'
      ? t('alerts.answerPersonLabel')
      : t('alerts.answerLabel')
  return (
    <form className="alert-answer" onSubmit={onSubmit}>
      <label htmlFor="alert-answer-body">{label}</label>
      <textarea
        id="alert-answer-body"
        value={body}
        onChange={(e) => setBody(e.target.value)}
        rows={3}
        required
        minLength={2}
        aria-describedby={error ? 'alert-answer-error' : undefined}
      />
      {error && (
        <p id="alert-answer-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn" disabled={answer.isPending}>
        <Send className="icon" aria-hidden="true" />
        {t('alerts.answerSend')}
      </button>
      {answer.isSuccess && <p role="status">{t('alerts.answerSent')}</p>}
    </form>
  )
}
