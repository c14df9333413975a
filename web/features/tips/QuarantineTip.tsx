import type { TTipView } from '@common/schemas/tips'
import { ShieldAlert } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { TextField } from './TipForm.parts'
import { useQuarantineTip } from './tips-api'

/**
 * Quarantine a spam tip (administrators and the unit's commanders): a button, then a confirm step
 * that says what happens and asks why (the reason goes to the audit log).
 */
export function QuarantineTip({ tip }: { tip: TTipView }) {
  const { t } = useTranslation()
  const quarantine = useQuarantineTip(tip.id)
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  if (tip.quarantinedAt) {
    return (
      <p className="tip-tag" role="status">
        {t('tips.quarantine.done')}
      </p>
    )
  }
  if (!tip.can.includes('quarantine')) return null
  const err = quarantine.error instanceof ApiError ? quarantine.error : undefined
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    quarantine.mutate({ reason }, { onSuccess: () => setOpen(false) })
  }
  if (!open) {
    return (
      <button type="button" className="btn btn--secondary" onClick={() => setOpen(true)}>
        <ShieldAlert className="icon" aria-hidden="true" />
        {t('tips.quarantine.button')}
      </button>
    )
  }
  return (
    <form className="form-card" onSubmit={onSubmit} aria-labelledby="quarantine-heading">
      <h2 id="quarantine-heading">{t('tips.quarantine.confirmHeading')}</h2>
      <p>{t('tips.quarantine.explain')}</p>
      <TextField
        name="reason"
        label={t('tips.quarantine.reason')}
        value={reason}
        onChange={setReason}
        multiline
        error={err ? (err.fieldMessage('reason') ?? err.detail ?? err.title) : undefined}
      />
      <div className="tip-actions">
        <button
          type="submit"
          className="btn btn--danger"
          disabled={quarantine.isPending || reason.trim().length < 3}
        >
          {t('tips.quarantine.confirm')}
        </button>
        <button type="button" className="btn btn--secondary" onClick={() => setOpen(false)}>
          {t('tips.quarantine.cancel')}
        </button>
      </div>
    </form>
  )
}
