import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useUnit } from './organisation-api'
import '../directory/directory.css'

/** The top of a page under a unit (posters, SMS, channels): the way back to the unit, the title and what the page is for. */
export function UnitSubpageHeader({
  unitId,
  title,
  intro,
}: {
  unitId: string
  title: string
  intro: string
}) {
  const { t } = useTranslation()
  const unit = useUnit(unitId)
  useDocumentTitle(title)
  return (
    <>
      <nav aria-label={t('org.breadcrumb')} className="dir-crumbs">
        <ol>
          <li>
            <Link to={`/staff/units/${unitId}`}>{unit.data?.unit.name ?? t('org.title')}</Link>
          </li>
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <h1>{title}</h1>
      <p>{intro}</p>
    </>
  )
}
