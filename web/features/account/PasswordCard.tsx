import { PASSWORD_MIN_LENGTH } from '@common/schemas/account'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { useChangePassword } from './account-api'

/** Staff: change the password (the current one first); other browsers are signed out. */
export function PasswordCard() {
  const { t } = useTranslation()
  const ids = { current: useId(), next: useId(), repeat: useId(), hint: useId() }
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const [ended, setEnded] = useState<number | null>(null)
  const change = useChangePassword()
  const err = change.error instanceof ApiError ? change.error : undefined

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    setEnded(null)
    setMismatch(next !== repeat)
    if (next !== repeat) return
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: (r) => {
          setEnded(r.ended)
          setCurrent('')
          setNext('')
          setRepeat('')
        },
      },
    )
  }

  return (
    <form className="form-card" onSubmit={onSubmit} noValidate aria-labelledby="password-title">
      <h2 id="password-title">{t('account.password.title')}</h2>
      {err && !err.errors?.length ? (
        <p className="form-error" role="alert">
          {err.detail ?? err.title}
        </p>
      ) : null}
      {ended !== null ? (
        <p className="form-note" role="status">
          {t('account.password.changed', { count: ended })}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={ids.current}>{t('account.password.current')}</label>
        <input
          id={ids.current}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        {err?.fieldMessage('currentPassword') ? (
          <span className="field__error">{err.fieldMessage('currentPassword')}</span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={ids.next}>{t('account.password.new')}</label>
        <input
          id={ids.next}
          type="password"
          autoComplete="new-password"
          aria-describedby={ids.hint}
          minLength={PASSWORD_MIN_LENGTH}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <span className="field__hint" id={ids.hint}>
          {t('account.password.hint', { min: PASSWORD_MIN_LENGTH })}
        </span>
        {err?.fieldMessage('newPassword') ? (
          <span className="field__error">{err.fieldMessage('newPassword')}</span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={ids.repeat}>{t('account.password.repeat')}</label>
        <input
          id={ids.repeat}
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
        {mismatch ? <span className="field__error">{t('account.password.mismatch')}</span> : null}
      </div>
      <button type="submit" className="btn" disabled={change.isPending}>
        {t('account.password.submit')}
      </button>
    </form>
  )
}
