import { type InputHTMLAttributes, useEffect, useState } from 'react'
import { formatVnDate, parseVnDate } from '../lib/vn-date'

/**
 * A date (or date and time) typed as `28/11/2026 14:05` instead of the browser's picker, which
 * shows mm/dd/yyyy on many phones. `value` and `onChange` use the native input's shape
 * (`2026-11-28` / `2026-11-28T14:05`); an unfinished or impossible date is '' to the form.
 */
export function VnDateInput({
  value,
  onChange,
  withTime,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  value: string
  onChange: (value: string) => void
  withTime: boolean
}) {
  const [text, setText] = useState(() => formatVnDate(value))
  // The form cleared or set the value itself (after sending, a draft restored): show that.
  useEffect(() => {
    setText((current) => ((parseVnDate(current, withTime) ?? '') === value ? current : formatVnDate(value)))
  }, [value, withTime])
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={withTime ? 'dd/mm/yyyy hh:mm' : 'dd/mm/yyyy'}
      value={text}
      onChange={(e) => {
        setText(e.target.value)
        onChange(parseVnDate(e.target.value, withTime) ?? '')
      }}
    />
  )
}
