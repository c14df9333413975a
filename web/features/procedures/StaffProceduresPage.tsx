import { AlertTriangle, ChevronRight } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { categoryOrder } from './ProceduresPage'
import { useProcedureList } from './procedures-api'
import './procedures.css'

/** /staff/procedures: the catalogue with its review state; commanders and admins open one to edit it. */
export function StaffProceduresPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('procedures.staff.title'))
  const { data, isError } = useProcedureList()
  if (isError) return <p role="alert">{t('procedures.loadError')}</p>
  if (!data) return <p role="status">{t('procedures.loading')}</p>
  const awaiting = data.procedures.filter((p) => p.awaitingLegalReview).length
  const sorted = [...data.procedures].sort(
    (a, b) =>
      categoryOrder.indexOf(a.category as (typeof categoryOrder)[number]) -
        categoryOrder.indexOf(b.category as (typeof categoryOrder)[number]) ||
      a.nameVi.localeCompare(b.nameVi, 'vi'),
  )
  return (
    <>
      <h1>{t('procedures.staff.title')}</h1>
      <p className="proc-lead">
        {t('procedures.staff.summary', { total: data.procedures.length, awaiting })}
      </p>
      <ul className="proc-list">
        {sorted.map((p) => (
          <li key={p.id}>
            <Link className="proc-row" to={`/staff/procedures/${p.id}`}>
              <span className="proc-row__text">
                <strong>{p.nameVi}</strong>
                <span className="proc-row__meta">
                  {t(`procedures.category.${p.category}`, p.category)} · {p.id}
                </span>
                {p.awaitingLegalReview && (
                  <span className="proc-flag">
                    <AlertTriangle className="icon" aria-hidden="true" />
                    {t('procedures.staff.awaitingBadge')}
                  </span>
                )}
              </span>
              <ChevronRight className="icon" aria-hidden="true" />
            </Link>
          </li>
        ))}
      </ul>
    </>
  )
}
