import { useId } from 'react'
import { useTranslation } from 'react-i18next'

interface FieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  error?: string | undefined
  hint?: string
}

/** The phone number field: any usual Vietnamese form is accepted, the server normalises it. */
export function PhoneField({ label, value, onChange, error, hint }: FieldProps) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={
          [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim() || undefined
        }
      />
      {error ? (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  )
}

/** Six digits, filled from the SMS by the phone's keyboard where it can (autocomplete=one-time-code). */
export function CodeField({
  label,
  value,
  onChange,
  error,
  hint,
  recovery,
}: FieldProps & { recovery?: boolean }) {
  const id = useId()
  const { t } = useTranslation()
  return (
    <div className="field field--code">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        name="code"
        type="text"
        inputMode={recovery ? 'text' : 'numeric'}
        autoComplete="one-time-code"
        pattern={recovery ? undefined : '[0-9]{6}'}
        maxLength={recovery ? 20 : 6}
        required
        value={value}
        onChange={(e) => onChange(recovery ? e.target.value : e.target.value.replace(/\D/g, ''))}
        aria-invalid={error ? true : undefined}
        aria-describedby={
          [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim() || undefined
        }
        title={recovery ? undefined : t('auth.codeTitle')}
      />
      {error ? (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  )
}
