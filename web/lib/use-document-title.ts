import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'

/** Sets the browser tab title to "<page> · Nhịp Cầu" (read first by screen readers on navigation). */
export function useDocumentTitle(pageTitle: string): void {
  const { t } = useTranslation()
  const appName = t('app.name')
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} · ${appName}` : appName
  }, [pageTitle, appName])
}
