import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAreaSearch } from './account-api'

export interface ChosenArea {
  slug: string
  name: string
}

/**
 * Finds a residential group by its name or a street in it and picks it: on the profile, and on a
 * tip sent without GPS (a resident rarely knows their group's name, but knows the street).
 */
export function AreaSearchField(props: {
  legend: string
  /** What is chosen now, in words ("Tổ dân phố số 3, Phường …"), or what to do. */
  status: string
  onChoose: (area: ChosenArea) => void
  error?: string | undefined
}) {
  const { t } = useTranslation()
  const searchId = useId()
  const [q, setQ] = useState('')
  const search = useAreaSearch(q)
  const areas = (search.data?.units ?? []).filter((u) => u.level === 'residential_group')
  return (
    <fieldset className="field">
      <legend className="field__label">{props.legend}</legend>
      <p className="field__hint" aria-live="polite">
        {props.status}
      </p>
      <label htmlFor={searchId}>{t('account.areaSearch')}</label>
      <input
        id={searchId}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-invalid={props.error ? true : undefined}
      />
      {props.error ? <span className="field__error">{props.error}</span> : null}
      {q.trim().length >= 2 && search.isSuccess && areas.length === 0 ? (
        <p className="field__hint">{t('account.areaNone')}</p>
      ) : null}
      {areas.length > 0 ? (
        <ul className="area-choices">
          {areas.slice(0, 8).map((a) => (
            <li key={a.slug}>
              <button
                type="button"
                className="btn btn--secondary"
                onClick={() => {
                  props.onChoose({ slug: a.slug, name: a.parent ? `${a.name}, ${a.parent.name}` : a.name })
                  setQ('')
                }}
              >
                {a.name}
                {a.parent ? `, ${a.parent.name}` : ''}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  )
}
