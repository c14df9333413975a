import { RotateCw } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { isRouteErrorResponse, useRouteError } from 'react-router'
import { useDocumentTitle } from '../lib/use-document-title'
import { NotFoundPage } from './NotFoundPage'

/** Shown inside the layout when a page throws, so the header and language switch stay usable. */
export function RouteErrorPage() {
  const error = useRouteError()
  const { t } = useTranslation()
  useDocumentTitle(t('error.title'))
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />
  console.error(error)
  return (
    <section className="message-page" aria-labelledby="error-heading">
      <h1 id="error-heading">{t('error.heading')}</h1>
      <p className="message-page__lead">{t('error.body')}</p>
      <button type="button" className="btn" onClick={() => window.location.reload()}>
        <RotateCw className="icon" aria-hidden="true" />
        {t('error.reload')}
      </button>
    </section>
  )
}
