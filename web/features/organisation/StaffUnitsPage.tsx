import { Building2, ChevronRight } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, Navigate } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useUnitRoots } from './organisation-api'
import './organisation.css'

/** /staff/units: the units the signed-in staff member works in; one unit opens directly. */
export function StaffUnitsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('org.title'))
  const { data, isLoading, isError } = useUnitRoots()
  if (data?.length === 1) return <Navigate to={`/staff/units/${data[0]!.id}`} replace />
  return (
    <>
      <h1>{t('org.title')}</h1>
      {isLoading && <p role="status">{t('org.loading')}</p>}
      {isError && <p role="alert">{t('org.loadError')}</p>}
      {data?.length === 0 && <p>{t('org.empty')}</p>}
      <ul className="dir-list">
        {data?.map((u) => (
          <li key={u.id}>
            <Link className="dir-row" to={`/staff/units/${u.id}`}>
              <Building2 className="icon" aria-hidden="true" />
              <span className="dir-row__text">
                <strong>{u.name}</strong>
              </span>
              <ChevronRight className="icon" aria-hidden="true" />
            </Link>
          </li>
        ))}
      </ul>
    </>
  )
}
