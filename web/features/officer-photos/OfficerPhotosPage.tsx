import type { TPendingOfficerPhoto } from '@common/schemas/officer-photos'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { FormField } from '../../components/FormField'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useSession } from '../auth/use-session'
import { useDecideOfficerPhoto, usePendingOfficerPhotos } from './officer-photos-api'
import '../auth/auth.css'
import './officer-photos.css'

/** /staff/officer-photos: a commander approves or refuses the photos officers of their units sent. */
export function OfficerPhotosPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffOfficerPhotos'))
  const commands = useSession().data?.roles.includes('commander') ?? false
  const { data, isLoading, isError } = usePendingOfficerPhotos(commands)
  return (
    <>
      <h1>{t('pages.staffOfficerPhotos')}</h1>
      <p>{t('officerPhoto.reviewIntro')}</p>
      {!commands && <p>{t('officerPhoto.notCommander')}</p>}
      {isLoading && <p role="status">{t('officerPhoto.loading')}</p>}
      {isError && <p role="alert">{t('officerPhoto.loadError')}</p>}
      {data?.items.length === 0 && <p>{t('officerPhoto.empty')}</p>}
      <ul className="officer-photo-list">
        {data?.items.map((p) => (
          <li key={p.id}>
            <PendingPhoto photo={p} />
          </li>
        ))}
      </ul>
    </>
  )
}

function PendingPhoto({ photo: p }: { photo: TPendingOfficerPhoto }) {
  const { t } = useTranslation()
  const decide = useDecideOfficerPhoto()
  const [refusing, setRefusing] = useState(false)
  const [reason, setReason] = useState('')
  const err = decide.error instanceof ApiError ? decide.error : undefined
  const name = p.officer.rank ? `${p.officer.rank} ${p.officer.name}` : p.officer.name
  const titleId = `officer-photo-${p.id}`

  const onRefuse = (e: FormEvent) => {
    e.preventDefault()
    decide.mutate({ id: p.id, reason })
  }

  return (
    <article className="form-card" aria-labelledby={titleId}>
      <h2 id={titleId}>{name}</h2>
      <p>
        {[p.officer.title, p.unit.name].filter(Boolean).join(' · ')}
        <br />
        {t('officerPhoto.sentAt', { when: formatDateTime(p.createdAt) })}
      </p>
      <div className="officer-photo-row">
        <figure className="officer-photo-figure">
          <img
            className="officer-photo"
            src={p.url}
            alt={t('officerPhoto.newAlt', { name })}
            width={96}
            height={96}
          />
          <figcaption>{t('officerPhoto.new')}</figcaption>
        </figure>
        <figure className="officer-photo-figure">
          {p.publishedUrl ? (
            <img
              className="officer-photo"
              src={p.publishedUrl}
              alt={t('officerPhoto.currentAlt', { name })}
              width={96}
              height={96}
            />
          ) : (
            <span className="officer-photo" aria-hidden="true" />
          )}
          <figcaption>{p.publishedUrl ? t('officerPhoto.current') : t('officerPhoto.noCurrent')}</figcaption>
        </figure>
      </div>
      {err && !err.errors?.length ? (
        <p className="form-error" role="alert">
          {err.detail ?? err.title}
        </p>
      ) : null}
      {refusing ? (
        <form onSubmit={onRefuse} noValidate>
          <FormField label={t('officerPhoto.reason')} error={err?.fieldMessage('reason')}>
            {(control) => (
              <textarea {...control} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
            )}
          </FormField>
          <div className="officer-photo-item__actions">
            <button type="submit" className="btn" disabled={decide.isPending}>
              {t('officerPhoto.refuseSend')}
            </button>
            <button type="button" className="btn btn--secondary" onClick={() => setRefusing(false)}>
              {t('officerPhoto.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="officer-photo-item__actions">
          <button
            type="button"
            className="btn"
            disabled={decide.isPending}
            onClick={() => decide.mutate({ id: p.id })}
          >
            {t('officerPhoto.approve')}
          </button>
          <button type="button" className="btn btn--secondary" onClick={() => setRefusing(true)}>
            {t('officerPhoto.refuse')}
          </button>
        </div>
      )}
    </article>
  )
}
