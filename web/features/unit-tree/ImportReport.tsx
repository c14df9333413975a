import type { TUnitTreeImportReport } from '@common/schemas/unit-tree'
import { useTranslation } from 'react-i18next'

/** What an import adds, changes and refuses, row by row, as the administrator reads it before writing. */
export function ImportReport({ report }: { report: TUnitTreeImportReport }) {
  const { t } = useTranslation()
  const refused = report.refused.length > 0
  return (
    <section className="unit-tree-report" aria-labelledby="unit-tree-report-title">
      <h2 id="unit-tree-report-title">{t('unitTree.report.title')}</h2>
      <p role="status" className={refused ? 'unit-tree-report__refused' : undefined}>
        {refused
          ? t('unitTree.report.refusedSummary', { count: report.refused.length })
          : t(report.written ? 'unitTree.report.written' : 'unitTree.report.plan', {
              created: report.created.length,
              updated: report.updated.length,
              unchanged: report.unchanged,
            })}
      </p>
      {refused && (
        <table className="unit-tree-table">
          <caption>{t('unitTree.report.refused')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('unitTree.report.where')}</th>
              <th scope="col">{t('unitTree.report.field')}</th>
              <th scope="col">{t('unitTree.report.why')}</th>
            </tr>
          </thead>
          <tbody>
            {report.refused.map((r) => (
              <tr key={`${r.line}-${r.field}-${r.code}`}>
                <td>{r.where}</td>
                <td>{r.field ?? '—'}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.created.length > 0 && (
        <>
          <h3>{t('unitTree.report.created')}</h3>
          <ul className="unit-tree-list">
            {report.created.map((c) => (
              <li key={c.line}>
                <strong>{c.name}</strong> <span className="unit-tree-key">{c.key}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {report.updated.length > 0 && (
        <>
          <h3>{t('unitTree.report.updated')}</h3>
          <ul className="unit-tree-list">
            {report.updated.map((u) => (
              <li key={u.line}>
                <strong>{u.name}</strong> <span className="unit-tree-key">{u.key}</span>
                <br />
                {t('unitTree.report.changes', {
                  fields: u.changes.map((f) => t(`unitTree.fields.${f}`, f)).join(', '),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
