import { type ReactNode, useId } from 'react'

/** What the input inside a FormField spreads onto itself, so the label, hint and error reach it. */
export interface FieldControlProps {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

/**
 * A labelled field with an optional hint (above the input, read with it) and an error (below,
 * announced with it). The input comes from the caller, which spreads `control` onto it.
 */
export function FormField(props: {
  label: string
  hint?: string | undefined
  error?: string | undefined
  className?: string
  children: (control: FieldControlProps) => ReactNode
}) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [props.hint ? hintId : '', props.error ? errorId : ''].join(' ').trim()
  return (
    <div className={props.className ? `field ${props.className}` : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? (
        <span className="field__hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
      {props.children({
        id,
        'aria-invalid': props.error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {props.error ? (
        <span className="field__error" id={errorId}>
          {props.error}
        </span>
      ) : null}
    </div>
  )
}
