import type { TReportView } from '@common/schemas/movements'
import { AlertTriangle, Check, Info, Undo2, X } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError } from '../../api/client'
import { formatDate, formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useQueue, useRegisterAreas, useReview } from './movements-api'
import { SelectField } from './ReportForm.parts'
import { ReportStatus } from './ResidentMovementsPages'
import '../auth/auth.css'
import './movements.css'

const FILTERS = ['open', 'confirmed', 'rejected'] as const

/** One report in the queue: who, where, when, what looks wrong, and the officer's three answers. */
function QueueItem({ report }: { report: TReportView }) {
  const { t } = useTranslation()
  const review = useReview()
  const [note, setNote] = useState('')
  const err = review.error instanceof ApiError ? review.error : null
  const decide = (decision: 'confirm' | 'request_correction' | 'reject') =>
    review.mutate({ id: report.id, decision, ...(note ? { note } : {}) })
  const p = report.person
  return (
    <li className="report-card" aria-label={p.fullName}>
      <p>
        <ReportStatus report={report} /> {t(`movements.kind.${report.kind}`)}
        {report.isOverdue && (
          <span className="report-flag" data-flag="overdue">
            <AlertTriangle className="icon" aria-hidden="true" /> {t('movements.overdue')}
          </span>
        )}
        {report.isLate && (
          <span className="report-flag" data-flag="late">
            <Info className="icon" aria-hidden="true" />{' '}
            {t('movements.late', { at: report.dueAt ? formatDateTime(report.dueAt) : '' })}
          </span>
        )}
        {p.isForeign && (
          <span className="report-flag" data-flag="foreign">
            {t('movements.foreign')}
          </span>
        )}
      </p>
      <h3 className="report-card__name">{p.fullName}</h3>
      <dl className="report-facts">
        <dt>{t(`movements.idKind.${p.idKind}`)}</dt>
        <dd>
          {p.idNumber}
          {p.nationality && p.isForeign ? ` (${p.nationality})` : ''}
        </dd>
        <dt>{t('movements.form.address')}</dt>
        <dd>
          {report.address} · {report.area.name}
        </dd>
        <dt>{t('movements.form.when')}</dt>
        <dd>
          {formatDate(report.fromDate)}
          {report.toDate ? ` – ${formatDate(report.toDate)}` : ''}
          {report.arrivalTime ? ` (${report.arrivalTime})` : ''}
        </dd>
        {report.relation && (
          <>
            <dt>{t('movements.form.relation')}</dt>
            <dd>{t(`movements.relation.${report.relation}`)}</dd>
          </>
        )}
        {report.destination && (
          <>
            <dt>{t('movements.form.destination')}</dt>
            <dd>
              {report.destination} · {report.reason}
            </dd>
          </>
        )}
        {report.reporter && (
          <>
            <dt>{t('movements.reporter')}</dt>
            <dd>
              {report.reporter.name} ({t(`movements.capacity.${report.reporter.capacity}`)}) ·{' '}
              {formatDateTime(report.submittedAt)}
            </dd>
          </>
        )}
      </dl>
      {report.note && <p className="report-note">{report.note}</p>}
      {report.conflicts?.map((c) => (
        <p key={`${c.code}-${c.detail}`} className="report-conflict" role="note">
          <AlertTriangle className="icon" aria-hidden="true" />{' '}
          {t(`movements.conflict.${c.code}`, { address: c.detail || t('movements.conflict.outside') })}
        </p>
      ))}
      {report.reviewNote && (
        <p className="report-note">{t('movements.officerNote', { note: report.reviewNote })}</p>
      )}
      {report.can.includes('review') && (
        <div className="report-review">
          <label className="field">
            <span className="field__label">{t('movements.reviewNote')}</span>
            <input
              value={note}
              onChange={(e) => setNote(e.target.value)}
              aria-invalid={err?.fieldMessage('note') ? true : undefined}
            />
            {err?.fieldMessage('note') && <span className="field__error">{err.fieldMessage('note')}</span>}
          </label>
          <div className="form-actions">
            {DECISIONS.map(({ decision, label, Icon }, i) => (
              <button
                key={decision}
                type="button"
                className={i === 0 ? 'btn' : 'btn btn--secondary'}
                onClick={() => decide(decision)}
                disabled={review.isPending}
              >
                <Icon className="icon" aria-hidden="true" /> {t(label)}
              </button>
            ))}
          </div>
        </div>
      )}
    </li>
  )
}

/** The officer's three answers to a report, the first one the primary action. */
const DECISIONS = [
  { decision: 'confirm', label: 'movements.confirm', Icon: Check },
  { decision: 'request_correction', label: 'movements.askCorrection', Icon: Undo2 },
  { decision: 'reject', label: 'movements.reject', Icon: X },
] as const

/** /staff/movements: the verification queue of the officer's areas (a commander's subtree). */
export function StaffMovementsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffMovements'))
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('open')
  const [areaId, setAreaId] = useState('')
  const areas = useRegisterAreas()
  const { data, isLoading } = useQueue(status, areaId)
  return (
    <>
      <h1>{t('pages.staffMovements')}</h1>
      <p>
        <Link to="/staff/movements/areas">{t('movements.counts.link')}</Link>
      </p>
      <div className="report-toolbar">
        <fieldset className="tip-filters">
          <legend className="visually-hidden">{t('movements.filterLabel')}</legend>
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              className="btn btn--secondary"
              aria-pressed={status === f}
              onClick={() => setStatus(f)}
            >
              {t(`movements.filter.${f}`)}
            </button>
          ))}
        </fieldset>
        <SelectField
          name="areaId"
          label={t('movements.form.area')}
          value={areaId}
          onChange={setAreaId}
          options={(areas.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
        />
      </div>
      {isLoading && <p role="status">{t('movements.loading')}</p>}
      {data?.length === 0 && <p>{t('movements.queueEmpty')}</p>}
      <ul className="report-list">
        {data?.map((r) => (
          <QueueItem key={r.id} report={r} />
        ))}
      </ul>
    </>
  )
}
