import type { THelpRequestView } from '@common/schemas/cases'
import { HeartHandshake } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { LoadProblem } from '../../components/LoadProblem'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { AddToThread, EvidenceList } from './TipThread'
import { useAnswerHelp, useHelpRequest, useMyHelpRequests } from './tips-api'
import '../auth/auth.css'
import './tips.css'

function HelpSummary({ h }: { h: THelpRequestView }) {
  const { t } = useTranslation()
  return (
    <div className="help-summary">
      {h.closingMessage && (
        <p className="help-closing" role="status">
          <HeartHandshake className="icon" aria-hidden="true" /> {h.closingMessage}
        </p>
      )}
      {h.photoUrl && <img src={h.photoUrl} alt={t('help.photoAlt')} className="help-photo" width={320} />}
      <p>{h.description}</p>
      <dl className="help-facts">
        {h.lookFor && (
          <>
            <dt>{t('help.lookFor')}</dt>
            <dd>{h.lookFor}</dd>
          </>
        )}
        {h.placeText && (
          <>
            <dt>{t('help.place')}</dt>
            <dd>{h.placeText}</dd>
          </>
        )}
        {(h.windowStart || h.windowEnd) && (
          <>
            <dt>{t('help.window')}</dt>
            <dd>
              {h.windowStart ? formatDateTime(h.windowStart) : ''} –{' '}
              {h.windowEnd ? formatDateTime(h.windowEnd) : ''}
            </dd>
          </>
        )}
      </dl>
    </div>
  )
}

/** /help/:id: a request for help from the police; residents answer with text and clips. */
export function HelpRequestPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const { data, error } = useHelpRequest(id)
  const answer = useAnswerHelp(id)
  useDocumentTitle(t('help.title'))
  if (error instanceof ApiError && error.status === 401) {
    return <Link to={`/sign-in?next=/help/${id}`}>{t('help.signIn')}</Link>
  }
  if (error && !data) return <LoadProblem error={error} />
  if (!data) return <p role="status">{t('tips.loading')}</p>
  return (
    <>
      <h1>{t('help.title')}</h1>
      <HelpSummary h={data} />
      {data.responses.length > 0 && (
        <>
          <h2>{t('help.myAnswers')}</h2>
          <ul className="tip-messages">
            {data.responses.map((r) => (
              <li key={r.id} className="tip-message tip-message--tipster">
                <p>{r.body}</p>
                <EvidenceList files={r.files} />
                <p className="field__hint">{formatDateTime(r.createdAt)}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      {data.can.includes('respond') ? (
        <AddToThread
          label={t('help.answer')}
          withFiles
          onSend={(f) => answer.mutateAsync(f)}
          pending={answer.isPending}
          error={answer.error instanceof ApiError ? (answer.error.detail ?? answer.error.title) : undefined}
        />
      ) : (
        data.status === 'closed' && <p className="field__hint">{t('help.closed')}</p>
      )}
    </>
  )
}

/** /help: the requests addressed to me, and those I answered. */
export function MyHelpRequestsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('help.listTitle'))
  const { data } = useMyHelpRequests()
  return (
    <>
      <h1>{t('help.listTitle')}</h1>
      {data?.length === 0 && <p>{t('help.empty')}</p>}
      <ul className="tip-list">
        {data?.map((h) => (
          <li key={h.id} className="tip-card">
            <Link to={`/help/${h.id}`}>{h.description}</Link>
            {h.closingMessage && <p className="help-closing">{h.closingMessage}</p>}
          </li>
        ))}
      </ul>
    </>
  )
}
