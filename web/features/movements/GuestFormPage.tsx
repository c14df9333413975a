import type { TGuestListSubmitted, TGuestRowError } from '@common/schemas/guest-lists'
import { CircleCheck, Clock, Plus, Send, Trash2 } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError } from '../../api/client'
import { useDocumentTitle } from '../../lib/use-document-title'
import { newClientKey } from '../messaging/send-queue'
import { TextField } from '../tips/TipForm.parts'
import {
  checkGuestForm,
  emptyGuest,
  type GuestDraft,
  guestRequestRow,
  type RowErrors,
  rowErrorsOf,
} from './guest-form'
import { useCapabilities } from './movements-api'
import { SelectField } from './ReportForm.parts'
import { sendGuestList } from './report-outbox'
import '../auth/auth.css'
import './movements.css'

function GuestRow(props: {
  n: number
  guest: GuestDraft
  errors: RowErrors
  set: (patch: Partial<GuestDraft>) => void
  onRemove?: (() => void) | undefined
}) {
  const { t } = useTranslation()
  const { n, guest: g, errors, set } = props
  const passport = g.idKind === 'passport'
  const known = ['person.fullName', 'person.idNumber', 'person.nationality', 'fromDate', 'toDate']
  const other = Object.entries(errors).filter(
    ([f]) => !known.includes(f) && f !== 'arrivalTime' && f !== 'room',
  )
  return (
    <fieldset className="report-fieldset guest-row" data-row={n}>
      <legend>{t('movements.guestForm.guest', { n })}</legend>
      {other.map(([f, m]) => (
        <p key={f} className="field__error">
          {m}
        </p>
      ))}
      <TextField
        name={`fullName-${n}`}
        label={t('movements.form.fullName')}
        value={g.fullName}
        onChange={(v) => set({ fullName: v })}
        required
        error={errors['person.fullName']}
      />
      <SelectField
        name={`idKind-${n}`}
        label={t('movements.form.idKind')}
        value={g.idKind}
        onChange={(v) => set({ idKind: v === 'passport' ? 'passport' : 'citizen_id' })}
        options={(['citizen_id', 'passport'] as const).map((k) => ({
          value: k,
          label: t(`movements.idKind.${k}`),
        }))}
      />
      <TextField
        name={`idNumber-${n}`}
        label={passport ? t('movements.form.passportNumber') : t('movements.form.citizenId')}
        type={passport ? 'text' : 'tel'}
        value={g.idNumber}
        onChange={(v) => set({ idNumber: v })}
        required
        error={errors['person.idNumber']}
      />
      {passport && (
        <TextField
          name={`nationality-${n}`}
          label={t('movements.form.nationality')}
          hint={t('movements.form.nationalityHint')}
          value={g.nationality}
          onChange={(v) => set({ nationality: v })}
          required
          error={errors['person.nationality']}
        />
      )}
      <div className="guest-row__dates">
        <TextField
          name={`fromDate-${n}`}
          label={t('movements.guestForm.fromDate')}
          hint={t('movements.guestForm.dateHint')}
          value={g.fromDate}
          onChange={(v) => set({ fromDate: v })}
          required
          error={errors.fromDate}
        />
        <TextField
          name={`toDate-${n}`}
          label={t('movements.guestForm.toDate')}
          hint={t('movements.guestForm.dateHint')}
          value={g.toDate}
          onChange={(v) => set({ toDate: v })}
          required
          error={errors.toDate}
        />
      </div>
      <div className="guest-row__dates">
        <TextField
          name={`arrivalTime-${n}`}
          type="time"
          label={t('movements.form.arrivalTime')}
          value={g.arrivalTime}
          onChange={(v) => set({ arrivalTime: v })}
          error={errors.arrivalTime}
        />
        <TextField
          name={`room-${n}`}
          label={t('movements.guestForm.room')}
          value={g.room}
          onChange={(v) => set({ room: v })}
          error={errors.room}
        />
      </div>
      {props.onRemove && (
        <button type="button" className="btn btn--secondary guest-row__remove" onClick={props.onRemove}>
          <Trash2 className="icon" aria-hidden="true" /> {t('movements.guestForm.remove', { n })}
        </button>
      )}
    </fieldset>
  )
}

/** /movements/guests/form: a hotel, guest house or landlord types tonight's guests, one row each. */
export function GuestFormPage() {
  const { t, i18n } = useTranslation()
  useDocumentTitle(t('movements.guestForm.title'))
  const caps = useCapabilities()
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  const [areaId, setAreaId] = useState('')
  const [address, setAddress] = useState('')
  const [rows, setRows] = useState<GuestDraft[]>(() => [emptyGuest()])
  const [clientKey, setClientKey] = useState(newClientKey)
  const [errors, setErrors] = useState<{ list: RowErrors; rows: RowErrors[]; message?: string }>({
    list: {},
    rows: [],
  })
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<TGuestListSubmitted | 'queued' | null>(null)
  const wrongRows = errors.rows.flatMap((e, i) => (Object.keys(e).length ? [i + 1] : []))

  const setRow = (key: string, patch: Partial<GuestDraft>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)))
  const removeRow = (key: string) => {
    setRows((rs) => rs.filter((r) => r.key !== key))
    setErrors({ list: {}, rows: [] })
  }

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    const checked = checkGuestForm({ areaId, address, rows }, lang, {
      dateFormat: t('movements.guestForm.dateFormat'),
      invalid: t('movements.guestForm.invalid'),
      duplicate: (row) => t('movements.guestForm.duplicate', { row }),
    })
    setErrors(checked)
    if (Object.keys(checked.list).length || checked.rows.some((r) => Object.keys(r).length)) return
    setBusy(true)
    try {
      const sent = await sendGuestList({ clientKey, areaId, address, rows: rows.map(guestRequestRow) })
      setResult(sent ?? 'queued')
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      const list: RowErrors = {}
      for (const f of err.errors ?? [])
        if (f.field === 'areaId' || f.field === 'address') list[f.field] = f.message
      setErrors({
        list,
        rows: rowErrorsOf((err.problem.rows ?? []) as TGuestRowError[], rows.length),
        message: err.detail ?? err.title,
      })
    } finally {
      setBusy(false)
    }
  }

  if (result) {
    return (
      <>
        <h1>{t('movements.guestForm.title')}</h1>
        <p className="report-sent" role="status">
          {result === 'queued' ? (
            <Clock className="icon" aria-hidden="true" />
          ) : (
            <CircleCheck className="icon" aria-hidden="true" />
          )}{' '}
          {result === 'queued'
            ? t('movements.guestForm.queued', { count: rows.length })
            : t(result.created ? 'movements.guests.sent' : 'movements.guests.already', {
                count: result.guestList.guestCount,
              })}
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
              setRows([emptyGuest()])
            }}
          >
            {t('movements.guestForm.another')}
          </button>
        </p>
      </>
    )
  }

  return (
    <>
      <h1>{t('movements.guestForm.title')}</h1>
      <p className="report-lead">{t('movements.guestForm.lead')}</p>
      <p>
        <Link to="/movements/guests">{t('movements.guests.link')}</Link>
      </p>
      <form className="form-card report-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        {(wrongRows.length > 0 || errors.message || Object.keys(errors.list).length > 0) && (
          <p className="form-error" role="alert">
            {wrongRows.length
              ? t('movements.guestForm.fixRows', { count: wrongRows.length, rows: wrongRows.join(', ') })
              : (errors.message ?? t('movements.fixFields'))}
          </p>
        )}
        <SelectField
          name="areaId"
          label={t('movements.form.area')}
          value={areaId}
          onChange={setAreaId}
          options={(caps.data?.businessAreas ?? []).map((a) => ({ value: a.id, label: a.name }))}
          error={errors.list.areaId}
        />
        <TextField
          name="address"
          label={t('movements.guests.address')}
          hint={t('movements.form.addressHint')}
          value={address}
          onChange={setAddress}
          required
          error={errors.list.address}
        />
        {rows.map((g, i) => (
          <GuestRow
            key={g.key}
            n={i + 1}
            guest={g}
            errors={errors.rows[i] ?? {}}
            set={(patch) => setRow(g.key, patch)}
            onRemove={rows.length > 1 ? () => removeRow(g.key) : undefined}
          />
        ))}
        <div className="form-actions">
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() => setRows((rs) => [...rs, emptyGuest()])}
          >
            <Plus className="icon" aria-hidden="true" /> {t('movements.guestForm.add')}
          </button>
          <button type="submit" className="btn" disabled={busy}>
            <Send className="icon" aria-hidden="true" />{' '}
            {t('movements.guestForm.send', { count: rows.length })}
          </button>
        </div>
      </form>
    </>
  )
}
