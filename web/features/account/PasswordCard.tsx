import { PASSWORD_MIN_LENGTH } from '@common/schemas/account'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { FormField } from '../../components/FormField'
import { useChangePassword } from './account-api'

/** Staff: change the password (the current one first); other browsers are signed out. */
export function PasswordCard() {
  const { t } = useTranslation()
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
      <PasswordField
        label={t('account.password.current')}
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        error={err?.fieldMessage('currentPassword')}
      />
      <PasswordField
        label={t('account.password.new')}
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        hint={t('account.password.hint', { min: PASSWORD_MIN_LENGTH })}
        value={next}
        onChange={setNext}
        error={err?.fieldMessage('newPassword')}
      />
      <PasswordField
        label={t('account.password.repeat')}
        autoComplete="new-password"
        value={repeat}
        onChange={setRepeat}
        error={mismatch ? t('account.password.mismatch') : undefined}
      />
      <button type="submit" className="btn" disabled={change.isPending}>
        {t('account.password.submit')}
      </button>
    </form>
  )
}

/** One password box with its label, an optional hint and the server's (or the form's) error. */
function PasswordField(props: {
  label: string
  autoComplete: 'current-password' | 'new-password'
  value: string
  onChange: (value: string) => void
  minLength?: number
  hint?: string
  error?: string | undefined
}) {
  return (
    <FormField label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <input
          {...control}
          type="password"
          autoComplete={props.autoComplete}
          minLength={props.minLength}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </FormField>
  )
}
