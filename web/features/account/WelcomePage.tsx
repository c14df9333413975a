import { UserRound } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { ApiError } from '../../api/client'
import { FormField } from '../../components/FormField'
import { useDocumentTitle } from '../../lib/use-document-title'
import { safeNext } from '../auth/use-session'
import { useUpdateProfile } from './account-api'
import '../auth/auth.css'

/**
 * Right after a resident's first sign-in: the name the police will see instead of "Cư dân".
 * Asked once (only a new account comes here); it can be skipped and changed later under Tài khoản.
 */
export function WelcomePage() {
  const { t } = useTranslation()
  useDocumentTitle(t('welcome.title'))
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const next = safeNext(params.get('next'), '/')
  const [name, setName] = useState('')
  const update = useUpdateProfile()
  const error = update.error instanceof ApiError ? update.error : undefined
  const goOn = () => navigate(next, { replace: true })

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate({ displayName: name }, { onSuccess: goOn })
  }
  return (
    <>
      <h1>{t('welcome.title')}</h1>
      <p>{t('welcome.intro')}</p>
      <form className="form-card" onSubmit={onSubmit} noValidate>
        <FormField
          label={t('welcome.nameLabel')}
          hint={t('welcome.nameHint')}
          error={error ? (error.fieldMessage('displayName') ?? error.detail ?? error.title) : undefined}
        >
          {(control) => (
            <input {...control} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          )}
        </FormField>
        <div className="form-actions">
          <button type="submit" className="btn" disabled={update.isPending}>
            <UserRound className="icon" aria-hidden="true" />
            {t('welcome.save')}
          </button>
          <button type="button" className="btn btn--secondary" onClick={goOn}>
            {t('welcome.later')}
          </button>
        </div>
      </form>
    </>
  )
}
