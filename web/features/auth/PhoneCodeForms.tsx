import { useTranslation } from 'react-i18next'
import { FormField } from '../../components/FormField'

interface FieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  error?: string | undefined
  hint?: string
}

/** The phone number field: any usual Vietnamese form is accepted, the server normalises it. */
export function PhoneField({ label, value, onChange, error, hint }: FieldProps) {
  return (
    <FormField label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          required
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </FormField>
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
  const { t } = useTranslation()
  return (
    <FormField label={label} hint={hint} error={error} className="field--code">
      {(control) => (
        <input
          {...control}
          name="code"
          type="text"
          inputMode={recovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          pattern={recovery ? undefined : '[0-9]{6}'}
          maxLength={recovery ? 20 : 6}
          required
          value={value}
          onChange={(e) => onChange(recovery ? e.target.value : e.target.value.replace(/\D/g, ''))}
          title={recovery ? undefined : t('auth.codeTitle')}
        />
      )}
    </FormField>
  )
}
