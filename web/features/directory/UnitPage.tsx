import type { TDirectoryUnit } from '@common/schemas/directory'
import { foldVietnamese } from '@common/text/fold'
import { ChevronRight, MapPin, PhoneCall } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { Breadcrumbs } from './Breadcrumbs'
import { useDirectoryUnit } from './directory-api'
import { OfficerCard, officerName, VerifiedPhone } from './OfficerCard'
import './directory.css'

function Children({ items }: { items: TDirectoryUnit['children'] }) {
  const { t } = useTranslation()
  const [filter, setFilter] = useState('')
  const shown = filter ? items.filter((c) => foldVietnamese(c.name).includes(foldVietnamese(filter))) : items
  return (
    <section aria-labelledby="unit-children">
      <h2 id="unit-children">
        {t('directory.children')}{' '}
        <span className="dir-count">({t('directory.unitsLabel', { count: items.length })})</span>
      </h2>
      {items.length > 12 && (
        <div className="dir-filter">
          <label htmlFor="unit-filter">{t('directory.filterChildren')}</label>
          <input id="unit-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
      )}
      <ul className="dir-list dir-list--compact">
        {shown.map((c) => (
          <li key={c.slug}>
            <Link className="dir-row" to={`/u/${c.slug}`}>
              <span className="dir-row__text">{c.name}</span>
              <ChevronRight className="icon" aria-hidden="true" />
            </Link>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** /u/:slug — a unit's public page: leaders, area officers, residential groups. */
export function UnitPage() {
  const { slug = '' } = useParams()
  const { t } = useTranslation()
  const { data, isLoading, isError, error } = useDirectoryUnit(slug)
  useDocumentTitle(data?.unit.name ?? t('directory.title'))
  if (isLoading) return <p role="status">{t('directory.loading')}</p>
  if (isError || !data) {
    const missing = (error as { status?: number } | null)?.status === 404
    return (
      <>
        <h1>{t('directory.title')}</h1>
        <p role="alert">{missing ? t('directory.notFound') : t('directory.loadError')}</p>
      </>
    )
  }
  const { unit } = data
  return (
    <>
      <Breadcrumbs items={data.ancestors} />
      <h1>{unit.name}</h1>
      {(unit.address || unit.phone) && (
        <dl className="dir-facts">
          {unit.address && (
            <div>
              <dt>{t('directory.address')}</dt>
              <dd>{unit.address}</dd>
            </div>
          )}
          {unit.phone && (
            <div>
              <dt>{t('directory.stationPhone')}</dt>
              <dd>
                <VerifiedPhone phone={unit.phone} />
              </dd>
            </div>
          )}
        </dl>
      )}
      {data.commanders.length > 0 && (
        <section aria-labelledby="unit-commanders">
          <h2 id="unit-commanders">{t('directory.commanders')}</h2>
          <div className="officer-grid">
            {data.commanders.map((o) => (
              <OfficerCard key={o.id} officer={o} />
            ))}
          </div>
        </section>
      )}
      {(data.officers.length > 0 || data.areas.length > 0) && (
        <section aria-labelledby="unit-officers">
          <h2 id="unit-officers">{t('directory.officers')}</h2>
          {data.officers.length === 0 && <p>{t('directory.noOfficers')}</p>}
          <div className="officer-grid">
            {data.officers.map((o) => (
              <OfficerCard key={o.id} officer={o} />
            ))}
          </div>
        </section>
      )}
      {data.areas.length > 0 && (
        <section aria-labelledby="unit-areas">
          <h2 id="unit-areas">{t('directory.areas')}</h2>
          <ul className="dir-list">
            {data.areas.map((a) => (
              <li key={a.slug}>
                <Link className="dir-row" to={`/a/${a.slug}`}>
                  <MapPin className="icon" aria-hidden="true" />
                  <span className="dir-row__text">
                    <strong>{a.name}</strong>
                    {a.address && <span className="dir-row__meta">{a.address}</span>}
                    <span className={a.currentOfficer ? 'dir-row__officer' : 'dir-row__meta'}>
                      {a.currentOfficer ? officerName(a.currentOfficer) : t('directory.noOfficer')}
                    </span>
                  </span>
                  <ChevronRight className="icon" aria-hidden="true" />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {data.children.length > 0 && <Children items={data.children} />}
      <Link to="/check-caller" className="dir-check-link">
        <PhoneCall className="icon" aria-hidden="true" />
        {t('directory.checkCallerLink')}
      </Link>
    </>
  )
}
