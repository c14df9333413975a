import { useMutation, useQueryClient } from '@tanstack/react-query'
import { MapPin } from 'lucide-react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError, apiFetch } from '../../api/client'
import { sessionQueryKey } from '../auth/use-session'

/**
 * A resident with no area yet. Coming from a QR poster (?area=<slug>), the area is taken at once —
 * the poster hangs in their residential group; otherwise they pick it on their profile.
 */
export function ChooseArea({ areaSlug }: { areaSlug: string | null }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const setArea = useMutation({
    mutationFn: (slug: string) => apiFetch('/api/me', { method: 'PATCH', body: { areaSlug: slug } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionQueryKey }),
  })
  const { mutate, isIdle } = setArea
  useEffect(() => {
    if (areaSlug && isIdle) mutate(areaSlug)
  }, [areaSlug, isIdle, mutate])

  const error = setArea.error instanceof ApiError ? setArea.error : null
  return (
    <>
      <h1>{t('messaging.askTitle')}</h1>
      {areaSlug && !error ? (
        <p role="status">{t('messaging.settingArea')}</p>
      ) : (
        <>
          <p className="ask__lead">
            {error ? (error.fieldMessage('areaSlug') ?? error.detail) : t('messaging.chooseArea')}
          </p>
          <Link className="btn" to="/me">
            <MapPin className="icon" aria-hidden="true" /> {t('messaging.chooseAreaLink')}
          </Link>
        </>
      )}
    </>
  )
}
