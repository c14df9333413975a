import type { TReportKind, TReportView } from '@common/schemas/movements'
import { useQueryClient } from '@tanstack/react-query'
import { CircleCheck, Clock, FileSpreadsheet, Hotel, House, KeyRound, Plane } from 'lucide-react'
import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { formatDate, formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { newClientKey } from '../messaging/send-queue'
import { TextField } from '../tips/TipForm.parts'
import { movementKeys, useCapabilities, useMyReports } from './movements-api'
import {
  DateFields,
  emptyDraft,
  PersonFields,
  RelationField,
  type ReportDraft,
  SelectField,
  toRequest,
} from './ReportForm.parts'
import {
  flushReports,
  onReportsChange,
  type PendingReport,
  pendingReports,
  sendReport,
} from './report-outbox'
import '../auth/auth.css'
import './movements.css'

const KINDS: { kind: TReportKind; Icon: typeof House; needs: 'household' | 'landlord' | 'business' }[] = [
  { kind: 'stay', Icon: House, needs: 'household' },
  { kind: 'absence', Icon: Plane, needs: 'household' },
  { kind: 'tenant_in', Icon: KeyRound, needs: 'landlord' },
  { kind: 'tenant_out', Icon: KeyRound, needs: 'landlord' },
  { kind: 'guest', Icon: Hotel, needs: 'business' },
]

export function ReportStatus({ report }: { report: Pick<TReportView, 'status' | 'isLate'> }) {
  const { t } = useTranslation()
  return (
    <span className="report-status" data-status={report.status}>
      {t(`movements.status.${report.status}`)}
    </span>
  )
}

function usePending() {
  const [items, setItems] = useState<PendingReport[]>(pendingReports)
  useEffect(() => {
    const off = onReportsChange(setItems)
    // A send that ended between the first render and this subscription was not seen: read again.
    setItems(pendingReports())
    void flushReports()
    return off
  }, [])
  return items
}

/** /movements: what the resident reported and where it stands; the forms they may use. */
export function MyMovementsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.movements'))
  const caps = useCapabilities()
  const mine = useMyReports()
  const pending = usePending()
  const qc = useQueryClient()
  useEffect(() => {
    if (!pending.length) void qc.invalidateQueries({ queryKey: movementKeys.mine })
  }, [pending.length, qc])
  const may = (needs: string) =>
    needs === 'household'
      ? !!caps.data?.household
      : needs === 'landlord'
        ? !!caps.data?.landlordAreas.length
        : !!caps.data?.businessAreas.length
  return (
    <>
      <h1>{t('pages.movements')}</h1>
      <p className="report-lead">{t('movements.lead')}</p>
      <ul className="report-kinds">
        {KINDS.filter((k) => may(k.needs)).map(({ kind, Icon }) => (
          <li key={kind}>
            <Link to={`/movements/new/${kind}`} className="btn btn--secondary report-kind">
              <Icon className="icon" aria-hidden="true" />
              {t(`movements.kind.${kind}`)}
            </Link>
          </li>
        ))}
      </ul>
      {may('business') && (
        <p>
          <Link to="/movements/guests" className="btn btn--secondary report-kind">
            <FileSpreadsheet className="icon" aria-hidden="true" />
            {t('movements.guests.link')}
          </Link>
          <Link to="/movements/guests/form" className="btn btn--secondary report-kind">
            <Hotel className="icon" aria-hidden="true" />
            {t('movements.guestForm.link')}
          </Link>
        </p>
      )}
      {caps.isError && <p className="form-error">{t('movements.signInFirst')}</p>}
      <h2>{t('movements.mine')}</h2>
      {pending.length > 0 && (
        <ul className="report-list" aria-label={t('movements.waitingLabel')}>
          {pending.map((p) => (
            <li key={p.request.clientKey} className="report-card">
              <span className="report-status" data-status="waiting">
                <Clock className="icon" aria-hidden="true" />{' '}
                {p.error ? t('movements.refused') : t('movements.waiting')}
              </span>{' '}
              {p.target === 'guest-list' ? (
                <>
                  <strong>{p.request.address}</strong> ·{' '}
                  {t('movements.guestForm.pending', { count: p.request.rows.length })}
                </>
              ) : (
                <>
                  <strong>{p.request.person.fullName}</strong> · {t(`movements.kind.${p.request.kind}`)}
                </>
              )}
              {p.error && <p className="field__error">{p.error}</p>}
            </li>
          ))}
        </ul>
      )}
      {mine.data?.length === 0 && pending.length === 0 && <p>{t('movements.none')}</p>}
      <ul className="report-list">
        {mine.data?.map((r) => (
          <li key={r.id} className="report-card">
            <ReportStatus report={r} /> <strong>{r.person.fullName}</strong> · {t(`movements.kind.${r.kind}`)}
            <p className="field__hint">
              {r.address} · {formatDate(r.fromDate)}
              {r.toDate ? ` – ${formatDate(r.toDate)}` : ''} ·{' '}
              {t('movements.sentAt', { at: formatDateTime(r.submittedAt) })}
            </p>
            {r.reviewNote && (
              <p className="report-note">{t('movements.officerNote', { note: r.reviewNote })}</p>
            )}
          </li>
        ))}
      </ul>
    </>
  )
}

/** /movements/new/:kind: one form, large and simple, that survives a lost connection. */
export function ReportNewPage() {
  const { t } = useTranslation()
  const { kind = 'stay' } = useParams() as { kind?: TReportKind }
  useDocumentTitle(t(`movements.kind.${kind}`))
  const caps = useCapabilities()
  const [draft, setDraft] = useState<ReportDraft>(emptyDraft)
  const [clientKey, setClientKey] = useState(newClientKey)
  const [error, setError] = useState<ApiError | null>(null)
  const [result, setResult] = useState<'sent' | 'queued' | null>(null)
  const [busy, setBusy] = useState(false)
  const set = (patch: Partial<ReportDraft>) => setDraft((d) => ({ ...d, ...patch }))
  const fieldError = (f: string) => error?.fieldMessage(f)
  const areas = kind === 'guest' ? caps.data?.businessAreas : caps.data?.landlordAreas
  const atHome = kind === 'stay' || kind === 'absence'

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const sent = await sendReport(toRequest(kind, draft, clientKey))
      setResult(sent ? 'sent' : 'queued')
    } catch (err) {
      setError(err instanceof ApiError ? err : null)
    } finally {
      setBusy(false)
    }
  }

  if (result) {
    return (
      <>
        <h1>{t(`movements.kind.${kind}`)}</h1>
        <p className="report-sent" role="status">
          {result === 'sent' ? (
            <CircleCheck className="icon" aria-hidden="true" />
          ) : (
            <Clock className="icon" aria-hidden="true" />
          )}{' '}
          {t(result === 'sent' ? 'movements.sent' : 'movements.queued')}
        </p>
        <p className="form-actions">
          <Link to="/movements" className="btn">
            {t('movements.backToList')}
          </Link>
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() => {
              setResult(null)
              setClientKey(newClientKey())
              setDraft((d) => ({
                ...emptyDraft(),
                areaId: d.areaId,
                address: d.address,
                fromDate: d.fromDate,
                toDate: d.toDate,
              }))
            }}
          >
            {t('movements.another')}
          </button>
        </p>
      </>
    )
  }

  return (
    <>
      <h1>{t(`movements.kind.${kind}`)}</h1>
      <p className="report-lead">{t(`movements.rule.${kind}`)}</p>
      <form className="form-card report-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        {error && !error.errors?.length && (
          <p className="form-error" role="alert">
            {error.detail ?? error.title}
          </p>
        )}
        {error?.errors?.length ? (
          <p className="form-error" role="alert">
            {t('movements.fixFields')}
          </p>
        ) : null}
        <PersonFields draft={draft} set={set} error={fieldError} />
        {kind === 'stay' && <RelationField draft={draft} set={set} error={fieldError} />}
        <fieldset className="report-fieldset">
          <legend>{t('movements.form.where')}</legend>
          {atHome ? (
            <p className="field__hint">
              {t('movements.form.atHome', {
                area: caps.data?.household?.areaName ?? '',
                address: caps.data?.household?.address ?? '',
              })}
            </p>
          ) : (
            <SelectField
              name="areaId"
              label={t('movements.form.area')}
              value={draft.areaId}
              onChange={(v) => set({ areaId: v })}
              options={(areas ?? []).map((a) => ({ value: a.id, label: a.name }))}
              error={fieldError('areaId')}
            />
          )}
          <TextField
            name="address"
            label={t('movements.form.address')}
            hint={atHome ? t('movements.form.addressHomeHint') : t('movements.form.addressHint')}
            value={draft.address}
            onChange={(v) => set({ address: v })}
            required={!atHome}
            error={fieldError('address')}
          />
        </fieldset>
        <DateFields
          draft={draft}
          set={set}
          error={fieldError}
          withEnd={kind !== 'tenant_out'}
          withArrival={kind === 'stay' || kind === 'guest' || kind === 'tenant_in'}
          fromLabel={t(`movements.form.from.${kind}`)}
        />
        {kind === 'absence' && (
          <>
            <TextField
              name="destination"
              label={t('movements.form.destination')}
              value={draft.destination}
              onChange={(v) => set({ destination: v })}
              required
              error={fieldError('destination')}
            />
            <TextField
              name="reason"
              label={t('movements.form.reason')}
              value={draft.reason}
              onChange={(v) => set({ reason: v })}
              required
              error={fieldError('reason')}
            />
          </>
        )}
        <TextField
          name="note"
          label={t('movements.form.note')}
          value={draft.note}
          onChange={(v) => set({ note: v })}
          multiline
          error={fieldError('note')}
        />
        <div className="form-actions">
          <button type="submit" className="btn" disabled={busy}>
            {t('movements.send')}
          </button>
        </div>
      </form>
    </>
  )
}
