import { FileDown, Printer, QrCode } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { formatDateTime, formatNumber } from '../../lib/format'
import { UnitSubpageHeader } from '../organisation/UnitSubpageHeader'
import { areaPosterUrl, unitPostersPdfUrl, usePosterList } from './posters-api'
import '../directory/directory.css'
import './posters.css'

/** /staff/units/:id/posters — print QR posters for every residential group and see how often each was scanned. */
export function StaffPostersPage() {
  const { id = '' } = useParams()
  const { t, i18n } = useTranslation()
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  const list = usePosterList(id)
  return (
    <>
      <UnitSubpageHeader unitId={id} title={t('posters.title')} intro={t('posters.intro')} />
      <a className="btn posters-print" href={unitPostersPdfUrl(id, lang)} target="_blank" rel="noreferrer">
        <Printer className="icon" aria-hidden="true" />
        {t('posters.printAll')}
      </a>
      {list.isLoading && <p role="status">{t('org.loading')}</p>}
      {list.isError && <p role="alert">{t('org.loadError')}</p>}
      {list.data?.length === 0 && <p>{t('org.noAreas')}</p>}
      <ul className="dir-list posters-list">
        {list.data?.map((row) => (
          <li key={row.area.id} className="posters-row">
            <QrCode className="icon" aria-hidden="true" />
            <div className="posters-row__text">
              <strong>{row.area.name}</strong>
              {row.poster ? (
                <span className="dir-row__meta">
                  {t('posters.code', { code: row.poster.code })} ·{' '}
                  {t('posters.scans', { count: row.poster.scans, n: formatNumber(row.poster.scans, lang) })} ·{' '}
                  {t('posters.printedAt', { at: formatDateTime(row.poster.createdAt) })}
                </span>
              ) : (
                <span className="dir-row__meta">{t('posters.notPrinted')}</span>
              )}
            </div>
            <div className="posters-row__files">
              {(['pdf', 'png', 'svg'] as const).map((format) => (
                <a
                  key={format}
                  className="btn btn--secondary btn--small"
                  href={areaPosterUrl(row.area.id, format, lang)}
                  target="_blank"
                  rel="noreferrer"
                  aria-label={t('posters.download', { format: format.toUpperCase(), area: row.area.name })}
                >
                  <FileDown className="icon" aria-hidden="true" />
                  {format.toUpperCase()}
                </a>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </>
  )
}
