import { tipCategoryValues } from '@common/schemas/tips'
import { Check, Copy, LocateFixed } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { VnDateInput } from '../../components/VnDateInput'

/** A labelled textarea or input with its error, wired for screen readers. */
export function TextField(props: {
  label: string
  value: string
  onChange: (v: string) => void
  error?: string | undefined
  multiline?: boolean
  type?: string
  hint?: string
  name: string
  required?: boolean
}) {
  const id = useId()
  const described =
    [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].join(' ').trim() || undefined
  const common = {
    id,
    name: props.name,
    value: props.value,
    required: props.required,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': described,
  }
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <span className="field__hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.multiline ? (
        <textarea {...common} rows={5} onChange={(e) => props.onChange(e.target.value)} />
      ) : props.type === 'date' || props.type === 'datetime-local' ? (
        <VnDateInput {...common} withTime={props.type === 'datetime-local'} onChange={props.onChange} />
      ) : (
        <input {...common} type={props.type ?? 'text'} onChange={(e) => props.onChange(e.target.value)} />
      )}
      {props.error && (
        <span className="field__error" id={`${id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  )
}

export function CategoryPicker({
  value,
  onChange,
  error,
}: {
  value: string
  onChange: (v: string) => void
  error?: string | undefined
}) {
  const { t } = useTranslation()
  return (
    <fieldset className="tip-categories" aria-invalid={error ? true : undefined}>
      <legend>{t('tips.form.category')}</legend>
      {tipCategoryValues.map((c) => (
        <label key={c} className="tip-category">
          <input type="radio" name="category" value={c} checked={value === c} onChange={() => onChange(c)} />
          <span>{t(`tips.category.${c}`)}</span>
        </label>
      ))}
      {error && <span className="field__error">{error}</span>}
    </fieldset>
  )
}

export interface Position {
  lat: number
  lng: number
  accuracy: number
}

/** The phone's GPS, asked for only when the resident taps the button. */
export function LocateButton({
  position,
  onPosition,
}: {
  position: Position | null
  onPosition: (p: Position | null) => void
}) {
  const { t } = useTranslation()
  const [state, setState] = useState<'idle' | 'busy' | 'denied'>('idle')
  const locate = () => {
    if (!navigator.geolocation) return setState('denied')
    setState('busy')
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setState('idle')
        onPosition({
          lat: p.coords.latitude,
          lng: p.coords.longitude,
          accuracy: Math.round(p.coords.accuracy),
        })
      },
      () => setState('denied'),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    )
  }
  return (
    <div className="tip-locate">
      <button type="button" className="btn btn--secondary" onClick={locate} disabled={state === 'busy'}>
        <LocateFixed className="icon" aria-hidden="true" />
        {state === 'busy' ? t('tips.form.locating') : t('tips.form.useLocation')}
      </button>
      <p role="status" className="field__hint">
        {position
          ? t('tips.form.located', {
              lat: position.lat.toFixed(5),
              lng: position.lng.toFixed(5),
              accuracy: position.accuracy,
            })
          : state === 'denied'
            ? t('tips.form.locationDenied')
            : ''}
      </p>
      {position && (
        <button type="button" className="link-button" onClick={() => onPosition(null)}>
          {t('tips.form.clearLocation')}
        </button>
      )}
    </div>
  )
}

/** The tip code, shown once, with a copy button. */
export function TipCodeCard({ code }: { code: string }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code)
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }
  return (
    <section className="tip-code" aria-labelledby="tip-code-heading">
      <h2 id="tip-code-heading">{t('tips.code.heading')}</h2>
      <p className="tip-code__value" data-testid="tip-code">
        {code}
      </p>
      <button type="button" className="btn" onClick={copy}>
        {copied ? (
          <Check className="icon" aria-hidden="true" />
        ) : (
          <Copy className="icon" aria-hidden="true" />
        )}
        {copied ? t('tips.code.copied') : t('tips.code.copy')}
      </button>
      <p className="tip-code__warning">{t('tips.code.warning')}</p>
    </section>
  )
}
