import { PhoneCall, UserRoundSearch } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ResidentActions } from '../../components/ResidentActions'
import { formatNumber } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { Breadcrumbs } from './Breadcrumbs'
import { useDirectoryArea } from './directory-api'
import { OfficerCard } from './OfficerCard'
import './directory.css'

/** /a/:slug — a residential group: its area officer now (big), and the ward's commanders. */
export function AreaPage() {
  const { slug = '' } = useParams()
  const { t, i18n } = useTranslation()
  const { data, isLoading, isError, error } = useDirectoryArea(slug)
  useDocumentTitle(data ? `${data.area.name} — ${data.unit.name}` : t('directory.title'))
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
  const { area, unit } = data
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  const counts = [
    area.householdCount !== null
      ? t('directory.households', { n: formatNumber(area.householdCount, lang) })
      : null,
    area.residentCount !== null
      ? t('directory.residents', { n: formatNumber(area.residentCount, lang) })
      : null,
  ]
    .filter(Boolean)
    .join(' · ')
  return (
    <>
      <Breadcrumbs items={data.ancestors} />
      <h1>
        {area.name}
        <span className="dir-subtitle">{t('directory.areaOf', { unit: unit.name })}</span>
      </h1>
      {(area.address || counts) && (
        <p className="dir-lead">
          {area.address}
          {area.address && counts ? ' · ' : ''}
          {counts}
        </p>
      )}
      <div className="area-actions">
        <ResidentActions areaSlug={area.slug} idPrefix="area" />
      </div>
      <section aria-labelledby="area-officer">
        <h2 id="area-officer">{t('directory.officerOf')}</h2>
        {area.currentOfficer ? (
          <OfficerCard officer={area.currentOfficer} large />
        ) : (
          <p className="dir-empty">
            <UserRoundSearch className="icon" aria-hidden="true" />
            {t('directory.noOfficer')}
          </p>
        )}
      </section>
      {data.commanders.length > 0 && (
        <section aria-labelledby="area-commanders">
          <h2 id="area-commanders">
            {t('directory.commanders')} — <Link to={`/u/${unit.slug}`}>{unit.name}</Link>
          </h2>
          <div className="officer-grid">
            {data.commanders.map((o) => (
              <OfficerCard key={o.id} officer={o} />
            ))}
          </div>
        </section>
      )}
      <Link to="/check-caller" className="dir-check-link">
        <PhoneCall className="icon" aria-hidden="true" />
        {t('directory.checkCallerLink')}
      </Link>
    </>
  )
}
