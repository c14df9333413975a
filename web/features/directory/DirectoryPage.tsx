import { Building2, ChevronRight, MapPin, PhoneCall, Search } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useDirectoryRoots, useDirectorySearch } from './directory-api'
import { officerName } from './OfficerCard'
import './directory.css'

function SearchResults({ q }: { q: string }) {
  const { t } = useTranslation()
  const { data, isFetching, isError } = useDirectorySearch(q)
  if (isError) return <p role="alert">{t('directory.loadError')}</p>
  if (!data) return isFetching ? <p role="status">{t('directory.searching')}</p> : null
  if (!data.units.length && !data.officers.length) return <p role="status">{t('directory.noResults')}</p>
  return (
    <div className="dir-results" aria-live="polite">
      {data.officers.length > 0 && (
        <section aria-labelledby="dir-res-officers">
          <h2 id="dir-res-officers">{t('directory.resultsOfficers')}</h2>
          <ul className="dir-list">
            {data.officers.map((o) => (
              <li key={o.id}>
                <Link className="dir-row" to={o.unit ? `/u/${o.unit.slug}` : '/directory'}>
                  <span className="dir-row__text">
                    <strong>{officerName(o)}</strong>
                    <span className="dir-row__meta">
                      {[o.title, o.unit?.name].filter(Boolean).join(' · ')}
                    </span>
                  </span>
                  <ChevronRight className="icon" aria-hidden="true" />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {data.units.length > 0 && (
        <section aria-labelledby="dir-res-units">
          <h2 id="dir-res-units">{t('directory.resultsUnits')}</h2>
          <ul className="dir-list">
            {data.units.map((u) => (
              <li key={u.slug}>
                <Link
                  className="dir-row"
                  to={u.level === 'residential_group' ? `/a/${u.slug}` : `/u/${u.slug}`}
                >
                  <MapPin className="icon" aria-hidden="true" />
                  <span className="dir-row__text">
                    <strong>{u.name}</strong>
                    <span className="dir-row__meta">
                      {[u.address, u.parent?.name, u.currentOfficer ? officerName(u.currentOfficer) : null]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  </span>
                  <ChevronRight className="icon" aria-hidden="true" />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

/** /directory: search officers, areas and streets; or browse from the provinces down. */
export function DirectoryPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('directory.title'))
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const [text, setText] = useState(q)
  const [tooShort, setTooShort] = useState(false)
  const roots = useDirectoryRoots()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const value = text.trim()
    setTooShort(value.length < 2)
    if (value.length >= 2) setParams({ q: value })
  }

  return (
    <>
      <h1>{t('directory.title')}</h1>
      <p className="dir-lead">{t('directory.intro')}</p>
      <search>
        <form className="dir-search" onSubmit={submit}>
          <label htmlFor="dir-q">{t('directory.searchLabel')}</label>
          <div className="dir-search__row">
            <input
              id="dir-q"
              type="search"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder={t('directory.searchPlaceholder')}
              autoComplete="off"
              aria-invalid={tooShort || undefined}
              aria-describedby={tooShort ? 'dir-q-error' : undefined}
            />
            <button type="submit" className="btn">
              <Search className="icon" aria-hidden="true" />
              {t('directory.searchButton')}
            </button>
          </div>
          {tooShort && (
            <p id="dir-q-error" className="dir-error">
              {t('directory.searchTooShort')}
            </p>
          )}
        </form>
      </search>
      {q.length >= 2 && <SearchResults q={q} />}
      <section aria-labelledby="dir-browse">
        <h2 id="dir-browse">{t('directory.browse')}</h2>
        {roots.isLoading && <p role="status">{t('directory.loading')}</p>}
        {roots.isError && <p role="alert">{t('directory.loadError')}</p>}
        <ul className="dir-list">
          {roots.data?.map((u) => (
            <li key={u.slug}>
              <Link className="dir-row" to={`/u/${u.slug}`}>
                <Building2 className="icon" aria-hidden="true" />
                <span className="dir-row__text">
                  <strong>{u.name}</strong>
                </span>
                <ChevronRight className="icon" aria-hidden="true" />
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <Link to="/check-caller" className="dir-check-link">
        <PhoneCall className="icon" aria-hidden="true" />
        {t('directory.checkCallerLink')}
      </Link>
    </>
  )
}
