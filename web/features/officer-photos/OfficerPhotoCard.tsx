import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { FormField } from '../../components/FormField'
import { useMyOfficerPhoto, useSendOfficerPhoto } from './officer-photos-api'
import './officer-photos.css'

/**
 * Staff account page: the officer's own portrait. A new one waits for a commander of their unit;
 * residents go on seeing the approved one until then (issue 19, point 7).
 */
export function OfficerPhotoCard() {
  const { t } = useTranslation()
  const { data } = useMyOfficerPhoto()
  const send = useSendOfficerPhoto()
  const [file, setFile] = useState<File | null>(null)
  const [missing, setMissing] = useState(false)
  const err = send.error instanceof ApiError ? send.error : undefined
  if (!data?.canSubmit) return null
  const { published, latest } = data

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    setMissing(!file)
    if (!file) return
    const form = e.currentTarget
    send.mutate(file, {
      onSuccess: () => {
        setFile(null)
        form.reset()
      },
    })
  }

  return (
    <form className="form-card" onSubmit={onSubmit} noValidate aria-labelledby="officer-photo-title">
      <h2 id="officer-photo-title">{t('officerPhoto.title')}</h2>
      <p className="form-note">{t('officerPhoto.intro')}</p>
      <div className="officer-photo-row">
        <figure className="officer-photo-figure">
          {published ? (
            <img
              className="officer-photo"
              src={published.url}
              alt={t('officerPhoto.publishedAlt')}
              width={96}
              height={96}
            />
          ) : (
            <span className="officer-photo officer-photo--empty" aria-hidden="true" />
          )}
          <figcaption>{published ? t('officerPhoto.published') : t('officerPhoto.none')}</figcaption>
        </figure>
        {latest?.state === 'pending' || latest?.state === 'refused' ? (
          <figure className="officer-photo-figure">
            <img
              className="officer-photo"
              src={latest.url}
              alt={t('officerPhoto.latestAlt')}
              width={96}
              height={96}
            />
            <figcaption>
              {latest.state === 'pending'
                ? t('officerPhoto.pending')
                : t('officerPhoto.refused', { reason: latest.refusalReason ?? '' })}
            </figcaption>
          </figure>
        ) : null}
      </div>
      <FormField
        label={t('officerPhoto.file')}
        hint={t('officerPhoto.hint')}
        error={missing ? t('officerPhoto.choose') : (err?.fieldMessage('file') ?? err?.detail ?? undefined)}
      >
        {(control) => (
          <input
            {...control}
            type="file"
            name="file"
            accept="image/jpeg,image/png,image/webp,image/heic"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        )}
      </FormField>
      {send.isSuccess ? (
        <p className="form-note" role="status">
          {t('officerPhoto.sent')}
        </p>
      ) : null}
      <button type="submit" className="btn" disabled={send.isPending}>
        {t('officerPhoto.send')}
      </button>
    </form>
  )
}
