import {
  idKindValues,
  relationValues,
  type TCreateReportRequest,
  type TReportKind,
} from '@common/schemas/movements'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { TextField } from '../tips/TipForm.parts'

/** The form's values as typed (strings); turned into the API request on sending. */
export interface ReportDraft {
  fullName: string
  idKind: string
  idNumber: string
  nationality: string
  relation: string
  areaId: string
  address: string
  fromDate: string
  toDate: string
  arrivalTime: string
  destination: string
  reason: string
  note: string
}

export const emptyDraft = (): ReportDraft => ({
  fullName: '',
  idKind: 'citizen_id',
  idNumber: '',
  nationality: '',
  relation: '',
  areaId: '',
  address: '',
  fromDate: '',
  toDate: '',
  arrivalTime: '',
  destination: '',
  reason: '',
  note: '',
})

type FieldProps = {
  draft: ReportDraft
  set: (patch: Partial<ReportDraft>) => void
  error: (field: string) => string | undefined
}

/** A labelled select with its error, for screen readers too. */
export function SelectField(props: {
  label: string
  value: string
  onChange: (v: string) => void
  options: { value: string; label: string }[]
  error?: string | undefined
  name: string
}) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value="">—</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error && (
        <span className="field__error" id={`${id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  )
}

/** Who: full name, ID type and number (12 digits, or a passport with its nationality). */
export function PersonFields({ draft, set, error }: FieldProps) {
  const { t } = useTranslation()
  const passport = draft.idKind === 'passport'
  return (
    <fieldset className="report-fieldset">
      <legend>{t('movements.form.who')}</legend>
      <TextField
        name="fullName"
        label={t('movements.form.fullName')}
        value={draft.fullName}
        onChange={(v) => set({ fullName: v })}
        required
        error={error('person.fullName')}
      />
      <div className="field" role="radiogroup" aria-label={t('movements.form.idKind')}>
        <span className="field__label">{t('movements.form.idKind')}</span>
        {idKindValues.map((k) => (
          <label key={k} className="field--check">
            <input
              type="radio"
              name="idKind"
              value={k}
              checked={draft.idKind === k}
              onChange={() => set({ idKind: k })}
            />
            {t(`movements.idKind.${k}`)}
          </label>
        ))}
      </div>
      <TextField
        name="idNumber"
        label={passport ? t('movements.form.passportNumber') : t('movements.form.citizenId')}
        hint={passport ? t('movements.form.passportHint') : t('movements.form.citizenIdHint')}
        value={draft.idNumber}
        onChange={(v) => set({ idNumber: v })}
        type={passport ? 'text' : 'tel'}
        required
        error={error('person.idNumber')}
      />
      {passport && (
        <TextField
          name="nationality"
          label={t('movements.form.nationality')}
          hint={t('movements.form.nationalityHint')}
          value={draft.nationality}
          onChange={(v) => set({ nationality: v })}
          required
          error={error('person.nationality')}
        />
      )}
    </fieldset>
  )
}

export function RelationField({ draft, set, error }: FieldProps) {
  const { t } = useTranslation()
  return (
    <SelectField
      name="relation"
      label={t('movements.form.relation')}
      value={draft.relation}
      onChange={(v) => set({ relation: v })}
      options={relationValues.map((r) => ({ value: r, label: t(`movements.relation.${r}`) }))}
      error={error('relation')}
    />
  )
}

/** From and to dates (and the arrival time, which moves the deadline after 23:00). */
export function DateFields(
  props: FieldProps & { withEnd: boolean; withArrival: boolean; fromLabel: string },
) {
  const { t } = useTranslation()
  const { draft, set, error } = props
  return (
    <fieldset className="report-fieldset">
      <legend>{t('movements.form.when')}</legend>
      <TextField
        name="fromDate"
        type="date"
        label={props.fromLabel}
        value={draft.fromDate}
        onChange={(v) => set({ fromDate: v })}
        required
        error={error('fromDate')}
      />
      {props.withArrival && (
        <TextField
          name="arrivalTime"
          type="time"
          label={t('movements.form.arrivalTime')}
          hint={t('movements.form.arrivalHint')}
          value={draft.arrivalTime}
          onChange={(v) => set({ arrivalTime: v })}
          error={error('arrivalTime')}
        />
      )}
      {props.withEnd && (
        <TextField
          name="toDate"
          type="date"
          label={t('movements.form.toDate')}
          value={draft.toDate}
          onChange={(v) => set({ toDate: v })}
          required
          error={error('toDate')}
        />
      )}
    </fieldset>
  )
}

/** The draft as the API takes it, for the kind of report. */
export function toRequest(kind: TReportKind, d: ReportDraft, clientKey: string): TCreateReportRequest {
  const person = {
    fullName: d.fullName,
    idKind: d.idKind as 'citizen_id',
    idNumber: d.idNumber,
    ...(d.idKind === 'passport' ? { nationality: d.nationality } : {}),
  }
  const opt = (v: string) => (v ? v : undefined)
  const base = {
    clientKey,
    areaId: opt(d.areaId),
    address: opt(d.address),
    person,
    fromDate: d.fromDate,
    note: opt(d.note),
  }
  const stay = { ...base, toDate: d.toDate, arrivalTime: opt(d.arrivalTime) }
  switch (kind) {
    case 'stay':
      return { kind, ...stay, relation: d.relation as 'sibling' }
    case 'tenant_in':
    case 'guest':
      return { kind, ...stay } as TCreateReportRequest
    case 'tenant_out':
      return { kind, ...base }
    case 'absence':
      return { kind, ...base, toDate: d.toDate, destination: d.destination, reason: d.reason }
  }
}
