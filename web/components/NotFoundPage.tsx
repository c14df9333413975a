import { House, SearchX } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useDocumentTitle } from '../lib/use-document-title'

export function NotFoundPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('notFound.title'))
  return (
    <section className="message-page" aria-labelledby="not-found-heading">
      <SearchX className="message-page__icon" aria-hidden="true" />
      <h1 id="not-found-heading">{t('notFound.heading')}</h1>
      <p className="message-page__lead">{t('notFound.body')}</p>
      <Link to="/" className="btn">
        <House className="icon" aria-hidden="true" />
        {t('placeholder.backHome')}
      </Link>
    </section>
  )
}
