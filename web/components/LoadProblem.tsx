import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/client'

/**
 * What a page says when its record did not load: not there (or not the reader's to see: the
 * server answers both 404, so the page does not tell them apart), or the network failed.
 */
export function LoadProblem({ error }: { error: unknown }) {
  const { t } = useTranslation()
  const missing = error instanceof ApiError && (error.status === 404 || error.status === 403)
  return <p role="alert">{t(missing ? 'loadProblem.notFound' : 'loadProblem.failed')}</p>
}
