import type { TAreaCounts } from '@common/schemas/movements'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { apiFetch } from '../../api/client'
import { formatDate } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import '../auth/auth.css'
import './movements.css'

const COLUMNS = ['reportsThisWeek', 'pending', 'overdue', 'awaitingCorrection'] as const

/** /staff/movements/areas: per area of my unit, this week's reports and what waits; no names. */
export function StaffAreaCountsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('movements.counts.title'))
  const { data, isLoading } = useQuery({
    queryKey: ['movements', 'area-counts'],
    queryFn: () => apiFetch<TAreaCounts>('/api/movements/area-counts'),
  })
  return (
    <>
      <h1>{t('movements.counts.title')}</h1>
      <p>
        <Link to="/staff/movements">{t('movements.counts.toQueue')}</Link>
      </p>
      {isLoading && <p role="status">{t('movements.loading')}</p>}
      {data && (
        // Scrolls sideways on a phone: focusable so a keyboard can scroll it too (WCAG 2.1.1, axe
        // scrollable-region-focusable); a named region says what the focus is on.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the keyboard focus
        <section className="area-counts" tabIndex={0} aria-label={t('movements.counts.title')}>
          <table>
            <caption>{t('movements.counts.caption', { date: formatDate(data.weekStart) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('movements.form.area')}</th>
                {COLUMNS.map((c) => (
                  <th key={c} scope="col" className="num">
                    {t(`movements.counts.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.items.map((row) => (
                <tr key={row.area.id} data-overdue={row.overdue > 0 || undefined}>
                  <th scope="row">{row.area.name}</th>
                  {COLUMNS.map((c) => (
                    <td key={c} className="num">
                      {row[c]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('movements.counts.total')}</th>
                {COLUMNS.map((c) => (
                  <td key={c} className="num">
                    {data.totals[c]}
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </section>
      )}
    </>
  )
}
