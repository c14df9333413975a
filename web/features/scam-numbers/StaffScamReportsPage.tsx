import type { TStaffScamReport } from '@common/schemas/scam-numbers'
import { Check, Megaphone, X } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError } from '../../api/client'
import type { Lang } from '../../i18n/languages'
import { formatDateTime, formatNumber } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { nationalOf, useRaiseScamAlert, useScamQueue, useScamReview } from './scam-api'
import './scam.css'

const FILTERS = ['pending', 'verified', 'rejected', 'all'] as const

/** One report: the number, what the caller claimed, who reported it (audited), and the decisions. */
function ReportCard({ report }: { report: TStaffScamReport }) {
  const { t, i18n } = useTranslation()
  const review = useScamReview()
  const raise = useRaiseScamAlert()
  const err = [review.error, raise.error].find((e) => e instanceof ApiError) as ApiError | undefined
  const display = nationalOf(report.phone)
  const alertId = raise.data?.alertId ?? report.number.alertId
  return (
    <li className="scam-card" aria-label={display}>
      <p className="scam-card__status" data-status={report.status}>
        {t(`scam.status.${report.status}`)} · {t('scam.queue.reporters', { count: report.number.reporters })}
      </p>
      <h3 className="scam-card__phone">{display}</h3>
      <dl className="scam-facts">
        <dt>{t('scam.report.claimedAs')}</dt>
        <dd>{t(`scam.claim.${report.claimedAs}`)}</dd>
        <dt>{t('scam.queue.calledAt')}</dt>
        <dd>{formatDateTime(report.calledAt)}</dd>
        {report.amountVnd !== null && (
          <>
            <dt>{t('scam.queue.amount')}</dt>
            <dd>{formatNumber(report.amountVnd, i18n.language as Lang)} đ</dd>
          </>
        )}
        {report.note && (
          <>
            <dt>{t('scam.report.note')}</dt>
            <dd>{report.note}</dd>
          </>
        )}
        <dt>{t('scam.queue.reporter')}</dt>
        <dd>
          {report.reporter.name}
          {report.reporter.phone ? ` · ${nationalOf(report.reporter.phone)}` : ''} · {report.area.name}
        </dd>
      </dl>
      <div className="scam-card__actions">
        {report.can.includes('review') && (
          <>
            <button
              type="button"
              className="btn"
              disabled={review.isPending}
              onClick={() => review.mutate({ id: report.id, decision: 'verify' })}
            >
              <Check className="icon" aria-hidden="true" /> {t('scam.queue.verify')}
            </button>
            <button
              type="button"
              className="btn btn--secondary"
              disabled={review.isPending}
              onClick={() => review.mutate({ id: report.id, decision: 'reject' })}
            >
              <X className="icon" aria-hidden="true" /> {t('scam.queue.reject')}
            </button>
          </>
        )}
        {alertId ? (
          <Link to={`/staff/alerts/${alertId}`}>{t('scam.queue.seeAlert')}</Link>
        ) : (
          report.can.includes('raiseAlert') && (
            <button
              type="button"
              className="btn btn--secondary"
              disabled={raise.isPending}
              onClick={() => raise.mutate(report.phone)}
            >
              <Megaphone className="icon" aria-hidden="true" /> {t('scam.queue.raiseAlert')}
            </button>
          )
        )}
        {report.number.status === 'verified' && (
          <Link to={`/so-lua-dao/${display}`}>{t('scam.seePage')}</Link>
        )}
      </div>
      {err && (
        <p role="alert" className="dir-error">
          {err.detail ?? err.title}
        </p>
      )}
    </li>
  )
}

/** /staff/scam-reports — residents' scam-number reports of my areas (or my unit's), to verify. */
export function StaffScamReportsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffScamReports'))
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('pending')
  const queue = useScamQueue(status)
  return (
    <>
      <h1>{t('pages.staffScamReports')}</h1>
      <p className="dir-lead">{t('scam.queue.intro')}</p>
      <fieldset className="scam-filters">
        <legend className="visually-hidden">{t('scam.queue.filter')}</legend>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className={f === status ? 'btn' : 'btn btn--secondary'}
            aria-pressed={f === status}
            onClick={() => setStatus(f)}
          >
            {t(`scam.filter.${f}`)}
          </button>
        ))}
      </fieldset>
      {queue.isPending && <p>{t('scam.loading')}</p>}
      {queue.data?.length === 0 && <p>{t('scam.queue.empty')}</p>}
      <ul className="scam-list">
        {queue.data?.map((r) => (
          <ReportCard key={r.id} report={r} />
        ))}
      </ul>
    </>
  )
}
