import { SCAM_PUBLIC_MIN_COUNT } from '@common/schemas/scam-numbers'
import { OctagonAlert, Search } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client'
import type { Lang } from '../../i18n/languages'
import { formatDate, formatNumber } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { nationalOf, useScamNumberPage } from './scam-api'
import './scam.css'

/** /so-lua-dao/:phone — a verified scam number: counts per week and province, never who reported. */
export function ScamNumberPage() {
  const { t, i18n } = useTranslation()
  const { phone = '' } = useParams()
  const page = useScamNumberPage(phone)
  const n = page.data
  useDocumentTitle(n ? t('scam.page.title', { phone: n.display }) : t('scam.page.titleGeneric'))
  const lang = i18n.language as Lang
  // A count of one or two people comes as null (k-anonymity): shown as "fewer than 3", never the number.
  const num = (v: number | null) =>
    v === null ? t('scam.page.fewer', { n: SCAM_PUBLIC_MIN_COUNT }) : formatNumber(v, lang)
  const inline = (v: number | null) =>
    v === null ? t('scam.page.fewerInline', { n: SCAM_PUBLIC_MIN_COUNT }) : formatNumber(v, lang)
  const plural = (v: number | null) => v ?? SCAM_PUBLIC_MIN_COUNT

  if (page.isPending) return <p>{t('scam.loading')}</p>
  if (!n) {
    const missing = page.error instanceof ApiError && page.error.status === 404
    return (
      <>
        <h1>{t('scam.page.titleGeneric')}</h1>
        <p>{missing ? t('scam.page.notVerified') : t('scam.page.error')}</p>
        <Link className="btn" to={`/check-caller?phone=${encodeURIComponent(phone)}`}>
          <Search className="icon" aria-hidden="true" /> {t('scam.page.checkAgain')}
        </Link>
      </>
    )
  }
  const top = n.counts.last7Days.provinces[0]
  return (
    <article className="scam-page">
      <h1>
        <OctagonAlert className="icon scam-page__icon" aria-hidden="true" />{' '}
        {t('scam.page.title', { phone: n.display })}
      </h1>
      <p className="scam-page__lead" data-testid="scam-page-lead">
        {top
          ? t('scam.page.week', {
              count: plural(top.count),
              countText: inline(top.count),
              province: top.name,
            })
          : t('scam.page.total', { count: plural(n.reporters), countText: inline(n.reporters) })}
      </p>
      <dl className="scam-facts">
        <dt>{t('scam.page.verifiedAt')}</dt>
        <dd>{formatDate(n.verifiedAt)}</dd>
        <dt>{t('scam.page.firstReported')}</dt>
        <dd>{formatDate(n.firstReportedAt)}</dd>
        <dt>{t('scam.page.lastReported')}</dt>
        <dd>{formatDate(n.lastReportedAt)}</dd>
        <dt>{t('scam.page.reporters')}</dt>
        <dd>{num(n.reporters)}</dd>
      </dl>
      {n.claims.length > 0 && (
        <>
          <h2>{t('scam.page.claims')}</h2>
          <ul>
            {n.claims.map((c) => (
              <li key={c.claimedAs}>
                {t(`scam.claim.${c.claimedAs}`)}: {num(c.count)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('scam.page.weeks')}</h2>
      {n.counts.weeks.length === 0 ? (
        <p>{t('scam.page.noWeeks')}</p>
      ) : (
        <table className="scam-weeks">
          <thead>
            <tr>
              <th scope="col">{t('scam.page.week_col')}</th>
              <th scope="col">{t('scam.page.province_col')}</th>
              <th scope="col">{t('scam.page.count_col')}</th>
            </tr>
          </thead>
          <tbody>
            {n.counts.weeks.map((w) => (
              <tr key={`${w.weekStart}-${w.province}`}>
                <td>{formatDate(w.weekStart)}</td>
                <td>{w.province}</td>
                <td>{num(w.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {n.alert && (
        <p>
          <Link to={`/alerts/${n.alert.id}`}>{t('scam.page.alert', { headline: n.alert.headline })}</Link>
        </p>
      )}
      <p className="scam-page__privacy">
        {t('scam.page.privacy')} {t('scam.page.fewerNote', { n: SCAM_PUBLIC_MIN_COUNT })}
      </p>
      <p>
        <Link className="btn btn--secondary" to={`/check-caller?phone=${nationalOf(n.phone)}`}>
          {t('scam.page.checkAgain')}
        </Link>{' '}
        <a href="/api/scam-numbers/feed.json">{t('scam.page.feedJson')}</a> ·{' '}
        <a href="/api/scam-numbers/feed.csv">{t('scam.page.feedCsv')}</a>
      </p>
    </article>
  )
}
