import type { TCannedRepliesList } from '@common/schemas/messaging'
import { CANNED_TITLE_MAX, MESSAGE_MAX_CHARS } from '@common/schemas/messaging'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { FormField } from '../../components/FormField'

export interface CannedReplyDraft {
  unitId: string
  title: string
  body: string
  shared: boolean
}

/**
 * Writing or editing a canned reply. The unit list and whether the caller may share there come from
 * the server; the server's refusals (a missing title, an unknown {variable}, a colleague's newer
 * edit) are shown beside the field they name.
 */
export function CannedReplyForm(props: {
  units: TCannedRepliesList['units']
  initial: CannedReplyDraft
  submitLabel: string
  pending: boolean
  error: unknown
  onSubmit: (draft: CannedReplyDraft) => void
  onCancel?: () => void
}) {
  const { t } = useTranslation()
  const [draft, setDraft] = useState(props.initial)
  const set = (patch: Partial<CannedReplyDraft>) => setDraft((d) => ({ ...d, ...patch }))
  const unit = props.units.find((u) => u.id === draft.unitId)
  // A reply filed under a unit the caller does not work in (a province's) keeps its unit.
  const unitChoices =
    unit || !draft.unitId ? props.units : [...props.units, { id: draft.unitId, name: '—', canShare: true }]
  const canShare = unit?.canShare ?? props.initial.shared
  const err = props.error instanceof ApiError ? props.error : null
  const fieldError = (f: string) => err?.fieldMessage(f)
  const general =
    err && !fieldError('title') && !fieldError('body') && !fieldError('unitId')
      ? (err.errors?.[0]?.message ?? err.detail ?? err.title)
      : null

  const submit = (e: FormEvent) => {
    e.preventDefault()
    props.onSubmit({ ...draft, shared: canShare && draft.shared })
  }

  return (
    <form className="canned-form" onSubmit={submit} noValidate>
      <FormField label={t('messaging.canned.titleLabel')} error={fieldError('title')}>
        {(control) => (
          <input
            {...control}
            value={draft.title}
            maxLength={CANNED_TITLE_MAX}
            onChange={(e) => set({ title: e.target.value })}
          />
        )}
      </FormField>
      <FormField
        label={t('messaging.canned.bodyLabel')}
        hint={t('messaging.canned.bodyHint')}
        error={fieldError('body')}
      >
        {(control) => (
          <textarea
            {...control}
            rows={5}
            value={draft.body}
            maxLength={MESSAGE_MAX_CHARS}
            onChange={(e) => set({ body: e.target.value })}
          />
        )}
      </FormField>
      {unitChoices.length > 1 && (
        <FormField label={t('messaging.canned.unitLabel')} error={fieldError('unitId')}>
          {(control) => (
            <select {...control} value={draft.unitId} onChange={(e) => set({ unitId: e.target.value })}>
              {unitChoices.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
      )}
      {canShare ? (
        <label className="canned-form__share">
          <input type="checkbox" checked={draft.shared} onChange={(e) => set({ shared: e.target.checked })} />
          {t('messaging.canned.shareLabel', { unit: unit?.name ?? '' })}
        </label>
      ) : (
        <p className="canned-form__note">{t('messaging.canned.personalNote')}</p>
      )}
      {general && (
        <p className="dir-error" role="alert">
          {general}
        </p>
      )}
      <div className="canned-form__actions">
        <button type="submit" className="btn" disabled={props.pending}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" className="btn btn--secondary" onClick={props.onCancel}>
            {t('messaging.canned.cancel')}
          </button>
        )}
      </div>
    </form>
  )
}
