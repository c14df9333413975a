import { BarChart3, Table2 } from 'lucide-react'
import { type ReactNode, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { BarChart, type BarSeries } from './BarChart'

export interface TableView {
  head: string[]
  /** One row per bar; cells may be links to the list behind the figure. */
  rows: ReactNode[][]
}

/** A chart with its table view (the accessible form of the same numbers), switched by one button. */
export function ChartSection({
  title,
  labels,
  series,
  table,
  onSelect,
  note,
  horizontal,
}: {
  title: string
  labels: string[]
  series: BarSeries[]
  table: TableView
  onSelect?: (index: number) => void
  note?: ReactNode
  horizontal?: boolean
}) {
  const { t, i18n } = useTranslation()
  const [asTable, setAsTable] = useState(false)
  const id = useId()
  const empty = labels.length === 0
  return (
    <section className="dash-section" aria-labelledby={id}>
      <div className="dash-section__head">
        <h2 id={id}>{title}</h2>
        {!empty && (
          <button
            type="button"
            className="btn btn--secondary btn--small"
            aria-pressed={asTable}
            onClick={() => setAsTable(!asTable)}
          >
            {asTable ? (
              <BarChart3 className="icon" aria-hidden="true" />
            ) : (
              <Table2 className="icon" aria-hidden="true" />
            )}
            {asTable ? t('dashboard.showChart') : t('dashboard.showTable')}
          </button>
        )}
      </div>
      {note && <p className="dash-section__note">{note}</p>}
      {empty ? (
        <p className="dash-section__empty">{t('dashboard.noData')}</p>
      ) : asTable ? (
        <div className="dash-table-wrap">
          <table className="dash-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {table.head.map((h, i) => (
                  <th key={h} scope="col" className={i ? 'num' : undefined}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((cells, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows follow the bars, in a fixed order
                <tr key={r}>
                  {cells.map((c, i) =>
                    i === 0 ? (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells follow the columns
                      <th key={i} scope="row">
                        {c}
                      </th>
                    ) : (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells follow the columns
                      <td key={i} className="num">
                        {c}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <BarChart
          labels={labels}
          series={series}
          locale={i18n.language === 'en' ? 'en-US' : 'vi-VN'}
          title={title}
          onSelect={onSelect}
          horizontal={horizontal}
        />
      )}
    </section>
  )
}
