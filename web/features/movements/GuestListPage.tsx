import {
  FOREIGN_GUEST_PROCEDURE_ID,
  type TGuestListSubmitted,
  type TGuestRowError,
} from '@common/schemas/guest-lists'
import { CircleCheck, Download, FileSpreadsheet, Globe } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError, apiFetch } from '../../api/client'
import { formatDate } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { TextField } from '../tips/TipForm.parts'
import { useCapabilities } from './movements-api'
import { SelectField } from './ReportForm.parts'
import '../auth/auth.css'
import './movements.css'

/** The columns of the template; businesses may keep their own names (the server maps them). */
const TEMPLATE = '\ufeffHọ và tên,Số CCCD/Hộ chiếu,Quốc tịch,Số phòng,Ngày đến,Giờ đến,Ngày đi\r\n'

/** /movements/guests: a business sends tonight's guest list as its own CSV or Excel file. */
export function GuestListPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('movements.guests.title'))
  const caps = useCapabilities()
  const fileId = useId()
  const [areaId, setAreaId] = useState('')
  const [address, setAddress] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [result, setResult] = useState<TGuestListSubmitted | null>(null)
  const rows = (error?.problem.rows ?? []) as TGuestRowError[]

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setResult(null)
    const body = new FormData()
    body.set('areaId', areaId)
    body.set('address', address)
    if (file) body.set('file', file)
    try {
      setResult(
        await apiFetch<TGuestListSubmitted>('/api/movements/guest-lists/upload', { method: 'POST', body }),
      )
    } catch (err) {
      setError(err instanceof ApiError ? err : null)
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <h1>{t('movements.guests.title')}</h1>
      <p className="report-lead">{t('movements.guests.lead')}</p>
      <p>
        <a
          className="btn btn--secondary"
          href={`data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`}
          download="danh-sach-khach-mau.csv"
        >
          <Download className="icon" aria-hidden="true" /> {t('movements.guests.template')}
        </a>{' '}
        <Link to="/movements/guests/form" className="btn btn--secondary">
          {t('movements.guestForm.link')}
        </Link>{' '}
        <Link to="/movements/new/guest" className="btn btn--secondary">
          {t('movements.guests.oneByOne')}
        </Link>
      </p>
      <form className="form-card report-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <SelectField
          name="areaId"
          label={t('movements.form.area')}
          value={areaId}
          onChange={setAreaId}
          options={(caps.data?.businessAreas ?? []).map((a) => ({ value: a.id, label: a.name }))}
          error={error?.fieldMessage('areaId')}
        />
        <TextField
          name="address"
          label={t('movements.guests.address')}
          hint={t('movements.form.addressHint')}
          value={address}
          onChange={setAddress}
          required
          error={error?.fieldMessage('address')}
        />
        <div className="field">
          <label htmlFor={fileId}>{t('movements.guests.file')}</label>
          <span className="field__hint" id={`${fileId}-hint`}>
            {t('movements.guests.fileHint')}
          </span>
          <input
            id={fileId}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={`${fileId}-hint`}
            aria-invalid={error?.fieldMessage('file') ? true : undefined}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        {error && (
          <div className="form-error" role="alert">
            <p>{error.detail ?? error.title}</p>
            {rows.length > 0 && (
              <ul className="guest-errors" aria-label={t('movements.guests.rowsLabel')}>
                {rows.map((r) => (
                  <li key={`${r.row}-${r.field}`}>
                    <strong>{t('movements.guests.row', { row: r.row })}</strong>, {r.column}: {r.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="btn" disabled={busy}>
            <FileSpreadsheet className="icon" aria-hidden="true" /> {t('movements.guests.send')}
          </button>
        </div>
      </form>
      {result && (
        <section aria-labelledby="guests-sent">
          <p className="report-sent" role="status" id="guests-sent">
            <CircleCheck className="icon" aria-hidden="true" />{' '}
            {t(result.created ? 'movements.guests.sent' : 'movements.guests.already', {
              count: result.guestList.guestCount,
            })}
          </p>
          {result.guestList.foreignCount > 0 && (
            <p className="report-note">
              <Globe className="icon" aria-hidden="true" />{' '}
              {t('movements.guests.foreign', { count: result.guestList.foreignCount })}{' '}
              <Link to={`/procedures/${FOREIGN_GUEST_PROCEDURE_ID}`}>
                {t('movements.guests.foreignLink')}
              </Link>
            </p>
          )}
          {result.ignoredColumns.length > 0 && (
            <p className="field__hint">
              {t('movements.guests.ignored', { columns: result.ignoredColumns.join(', ') })}
            </p>
          )}
          <ul className="report-list">
            {result.guests.map((g) => (
              <li key={g.id} className="report-card">
                <strong>{g.person.fullName}</strong> · {g.person.idNumber}
                {g.person.isForeign ? ` · ${t('movements.guests.foreignTag')}` : ''}
                <p className="field__hint">
                  {formatDate(g.fromDate)}
                  {g.toDate ? ` – ${formatDate(g.toDate)}` : ''}
                  {g.note ? ` · ${g.note}` : ''}
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  )
}
