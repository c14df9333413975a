import { ZDeletionPreview } from '@common/schemas/account'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Download, Trash2 } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { apiFetch } from '../../api/client'

/** What deletion keeps under a legal basis: read before confirming. */
function KeptRecords() {
  const { t } = useTranslation()
  const preview = useQuery({
    queryKey: ['me', 'deletion-preview'],
    queryFn: () => apiFetch('/api/me/deletion-preview', { schema: ZDeletionPreview }),
  })
  if (preview.isPending) return <p>{t('account.deleteKeptLoading')}</p>
  if (preview.isError)
    return (
      <p className="form-error" role="alert">
        {t('account.deleteKeptFailed')}
      </p>
    )
  if (!preview.data.items.length) return <p>{t('account.deleteKeptNone')}</p>
  return (
    <div>
      <h4>{t('account.deleteKeptTitle')}</h4>
      <ul>
        {preview.data.items.map((i) => (
          <li key={`${i.table}:${i.id}`}>{i.reason}</li>
        ))}
      </ul>
    </div>
  )
}

/** Export everything as one ZIP; delete the account after reading what is kept and an explicit confirmation. */
export function DataCard({ canDelete }: { canDelete: boolean }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const [understood, setUnderstood] = useState(false)
  const checkId = useId()
  const remove = useMutation({
    mutationFn: () => apiFetch<void>('/api/me', { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.clear()
      navigate('/', { replace: true })
    },
  })
  return (
    <section className="form-card" aria-labelledby="data-title">
      <h2 id="data-title">{t('account.dataTitle')}</h2>
      <p>{t('account.exportIntro')}</p>
      <a className="btn btn--secondary" href="/api/me/export" download>
        <Download className="icon" aria-hidden="true" />
        {t('account.export')}
      </a>
      {canDelete ? (
        <>
          <h3>{t('account.deleteTitle')}</h3>
          <p>{t('account.deleteIntro')}</p>
          {!confirming ? (
            <button type="button" className="btn btn--secondary" onClick={() => setConfirming(true)}>
              <Trash2 className="icon" aria-hidden="true" />
              {t('account.delete')}
            </button>
          ) : (
            <div>
              <KeptRecords />
              <div className="field field--check">
                <input
                  id={checkId}
                  type="checkbox"
                  checked={understood}
                  onChange={(e) => setUnderstood(e.target.checked)}
                />
                <label htmlFor={checkId}>{t('account.deleteConfirmCheck')}</label>
              </div>
              <div className="form-actions">
                <button
                  type="button"
                  className="btn btn--danger"
                  disabled={!understood || remove.isPending}
                  onClick={() => remove.mutate()}
                >
                  {t('account.deleteConfirm')}
                </button>
                <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                  {t('account.cancel')}
                </button>
              </div>
              {remove.isError ? (
                <p className="form-error" role="alert">
                  {t('account.deleteFailed')}
                </p>
              ) : null}
            </div>
          )}
        </>
      ) : null}
    </section>
  )
}
