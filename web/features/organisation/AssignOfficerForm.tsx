import type { TAreaDetail } from '@common/schemas/organisation'
import { UserRoundCheck } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { officerName } from '../directory/OfficerCard'
import { useAssignOfficer, useUnitOfficers } from './organisation-api'

/** Assign (or change) the officer in charge of an area, from now or from a chosen day. */
export function AssignOfficerForm({ detail }: { detail: TAreaDetail }) {
  const { t } = useTranslation()
  const { area, unit } = detail
  const officers = useUnitOfficers(unit.id)
  const assign = useAssignOfficer(area.id)
  const [officerId, setOfficerId] = useState('')
  const [startsAt, setStartsAt] = useState('')
  const [done, setDone] = useState<string | null>(null)
  const current = area.currentOfficer
  const choices = (officers.data ?? []).filter((o) => o.role === 'officer' && o.id !== current?.id)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setDone(null)
    if (!officerId) return
    const chosen = choices.find((o) => o.id === officerId)
    assign.mutate(
      { officerId, ...(startsAt ? { startsAt } : {}) },
      {
        onSuccess: () => {
          setDone(t('org.assigned', { name: chosen ? officerName(chosen) : '', area: area.name }))
          setOfficerId('')
          setStartsAt('')
        },
      },
    )
  }
  const error = assign.error instanceof ApiError ? assign.error : null
  const title = current ? t('org.reassignTitle') : t('org.assignTitle')
  return (
    <form className="org-form form-panel" onSubmit={submit} aria-labelledby="assign-title">
      <h2 id="assign-title">{title}</h2>
      <div className="org-field">
        <label htmlFor="assign-officer">{t('org.officerLabel')}</label>
        <select
          id="assign-officer"
          value={officerId}
          onChange={(e) => setOfficerId(e.target.value)}
          required
          aria-invalid={error?.fieldMessage('officerId') ? true : undefined}
        >
          <option value="">{t('org.chooseOfficer')}</option>
          {choices.map((o) => (
            <option key={o.id} value={o.id}>
              {officerName(o)}
              {o.areas.length ? ` (${o.areas.map((a) => a.name).join(', ')})` : ''}
            </option>
          ))}
        </select>
        {error?.fieldMessage('officerId') && <p className="dir-error">{error.fieldMessage('officerId')}</p>}
      </div>
      <div className="org-field">
        <label htmlFor="assign-starts">{t('org.startsLabel')}</label>
        <p id="assign-starts-hint" className="caller-form__hint">
          {t('org.startsHint')}
        </p>
        <input
          id="assign-starts"
          type="date"
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
          aria-describedby="assign-starts-hint"
        />
      </div>
      {error && !error.fieldMessage('officerId') && (
        <p role="alert" className="dir-error">
          {error.fieldMessage('endsAt') ?? error.detail ?? error.title}
        </p>
      )}
      <button type="submit" className="btn" disabled={assign.isPending || !officerId}>
        <UserRoundCheck className="icon" aria-hidden="true" />
        {current ? t('org.reassign') : t('org.assign')}
      </button>
      {done && (
        <p role="status" className="org-done">
          {done}
        </p>
      )}
    </form>
  )
}
