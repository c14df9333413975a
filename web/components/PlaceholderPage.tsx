import { Construction, House } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type vi from '../i18n/vi.json'
import { useDocumentTitle } from '../lib/use-document-title'

export type PageKey = keyof typeof vi.pages

interface PlaceholderPageProps {
  page: PageKey
  /** Where "back" leads: the resident home page or the officer console. */
  homeHref?: string
}

/** A page that exists in the map of the app but is not built yet. */
export function PlaceholderPage({ page, homeHref = '/' }: PlaceholderPageProps) {
  const { t } = useTranslation()
  const title = t(`pages.${page}`)
  useDocumentTitle(title)
  return (
    <>
      <h1>{title}</h1>
      <section className="message-page" aria-labelledby="placeholder-heading">
        <Construction className="message-page__icon" aria-hidden="true" />
        <h2 id="placeholder-heading">{t('placeholder.heading')}</h2>
        <p className="message-page__lead">{t('placeholder.body')}</p>
        <Link to={homeHref} className="btn">
          <House className="icon" aria-hidden="true" />
          {t('placeholder.backHome')}
        </Link>
      </section>
    </>
  )
}
