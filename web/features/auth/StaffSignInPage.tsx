import { type TSignedIn, type TStaffChallenge, ZSignedIn, ZStaffChallenge } from '@common/schemas/auth'
import { useMutation } from '@tanstack/react-query'
import { KeyRound, LogIn } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { ApiError, apiFetch } from '../../api/client'
import { useDocumentTitle } from '../../lib/use-document-title'
import { CodeField } from './PhoneCodeForms'
import { safeNext, useAfterSignIn } from './use-session'
import './auth.css'

const problemText = (err: unknown, field?: string) =>
  err instanceof ApiError && !(field && err.fieldMessage(field)) ? (err.detail ?? err.title) : undefined

/** Staff: username and password, then the authenticator code (or enrolment with a QR code the first time). */
export function StaffSignInPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('auth.staffTitle'))
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const afterSignIn = useAfterSignIn()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [challenge, setChallenge] = useState<TStaffChallenge | null>(null)
  const [code, setCode] = useState('')
  const [useRecovery, setUseRecovery] = useState(false)
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null)
  const userId = useId()
  const passId = useId()
  const next = safeNext(params.get('next'), '/staff')

  const passwordStep = useMutation({
    mutationFn: () =>
      apiFetch('/api/auth/staff/sign-in', {
        method: 'POST',
        body: { username, password },
        schema: ZStaffChallenge,
      }),
    onSuccess: (res) => {
      setChallenge(res)
      setPassword('')
      setCode('')
    },
  })
  const codeStep = useMutation({
    mutationFn: (): Promise<TSignedIn> =>
      apiFetch(challenge?.step === 'enrol' ? '/api/auth/staff/enrol' : '/api/auth/staff/totp', {
        method: 'POST',
        body: { challenge: challenge?.challenge, code },
        schema: ZSignedIn,
      }),
    onSuccess: (res) => {
      afterSignIn(res.user)
      if (res.recoveryCodes) setRecoveryCodes(res.recoveryCodes)
      else navigate(next, { replace: true })
    },
    onError: (err) => {
      // An expired challenge: start again from the password.
      if (err instanceof ApiError && err.status === 401) setChallenge(null)
    },
  })

  const onPassword = (e: FormEvent) => {
    e.preventDefault()
    passwordStep.mutate()
  }
  const onCode = (e: FormEvent) => {
    e.preventDefault()
    codeStep.mutate()
  }

  if (recoveryCodes) {
    return (
      <>
        <h1>{t('auth.recoveryTitle')}</h1>
        <section className="form-card">
          <p>{t('auth.recoveryIntro')}</p>
          <ul className="recovery-codes" aria-label={t('auth.recoveryTitle')}>
            {recoveryCodes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => navigate(next, { replace: true })}>
              {t('auth.recoveryDone')}
            </button>
          </div>
        </section>
      </>
    )
  }

  return (
    <>
      <h1>{t('auth.staffTitle')}</h1>
      {challenge === null ? (
        <form className="form-card" onSubmit={onPassword} noValidate>
          {problemText(passwordStep.error) || problemText(codeStep.error) ? (
            <p className="form-error" role="alert">
              {problemText(passwordStep.error) ?? problemText(codeStep.error)}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={userId}>{t('auth.username')}</label>
            <input
              id={userId}
              name="username"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={passId}>{t('auth.password')}</label>
            <input
              id={passId}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="btn" disabled={passwordStep.isPending}>
              <LogIn className="icon" aria-hidden="true" />
              {t('auth.continue')}
            </button>
          </div>
        </form>
      ) : (
        <form className="form-card" onSubmit={onCode} noValidate>
          {challenge.step === 'enrol' ? (
            <>
              <h2>{t('auth.enrolTitle')}</h2>
              <p>{t('auth.enrolIntro')}</p>
              <img
                className="enrol-qr"
                src={challenge.qrDataUrl}
                alt={t('auth.enrolQrAlt')}
                width={240}
                height={240}
              />
              <p>
                {t('auth.enrolSecret')} <span className="secret-text">{challenge.secret}</span>
              </p>
            </>
          ) : (
            <p>{useRecovery ? t('auth.recoveryPrompt') : t('auth.totpPrompt')}</p>
          )}
          {problemText(codeStep.error, 'code') ? (
            <p className="form-error" role="alert">
              {problemText(codeStep.error, 'code')}
            </p>
          ) : null}
          <CodeField
            label={useRecovery ? t('auth.recoveryLabel') : t('auth.totpLabel')}
            value={code}
            onChange={setCode}
            recovery={useRecovery}
            error={codeStep.error instanceof ApiError ? codeStep.error.fieldMessage('code') : undefined}
          />
          <div className="form-actions">
            <button type="submit" className="btn" disabled={codeStep.isPending}>
              <KeyRound className="icon" aria-hidden="true" />
              {challenge.step === 'enrol' ? t('auth.enrolConfirm') : t('auth.signInButton')}
            </button>
          </div>
          {challenge.step === 'totp' ? (
            <p>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setUseRecovery(!useRecovery)
                  setCode('')
                }}
              >
                {useRecovery ? t('auth.useAuthenticator') : t('auth.useRecovery')}
              </button>
            </p>
          ) : null}
        </form>
      )}
    </>
  )
}
