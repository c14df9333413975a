import { ZOtpRequestResponse, ZSignedIn } from '@common/schemas/auth'
import { formatVietnamesePhone } from '@common/text/phone'
import { useMutation } from '@tanstack/react-query'
import { MessageSquareText, ShieldAlert } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, useNavigate, useSearchParams } from 'react-router'
import { ApiError, apiFetch } from '../../api/client'
import { useDocumentTitle } from '../../lib/use-document-title'
import { CodeField, PhoneField } from './PhoneCodeForms'
import { safeNext, useAfterSignIn, useSession } from './use-session'
import './auth.css'

const generalError = (err: unknown, field: string) =>
  err instanceof ApiError && !err.fieldMessage(field) ? (err.detail ?? err.title) : undefined

/** Residents: phone number, then the 6-digit code from the text message. */
export function ResidentSignInPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('auth.signInTitle'))
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const afterSignIn = useAfterSignIn()
  const [phone, setPhone] = useState('')
  const [code, setCode] = useState('')
  const [sentTo, setSentTo] = useState<string | null>(null)

  const request = useMutation({
    mutationFn: (value: string) =>
      apiFetch('/api/auth/otp/request', {
        method: 'POST',
        body: { phone: value },
        schema: ZOtpRequestResponse,
      }),
    onSuccess: (res) => {
      setSentTo(res.phone)
      setCode('')
    },
  })
  const verify = useMutation({
    mutationFn: () =>
      apiFetch('/api/auth/otp/verify', { method: 'POST', body: { phone: sentTo, code }, schema: ZSignedIn }),
    onSuccess: (res) => {
      afterSignIn(res.user)
      const next = safeNext(params.get('next'), '/')
      // A new account is asked its name once, then goes on where it was heading.
      navigate(res.isNewAccount ? `/welcome?next=${encodeURIComponent(next)}` : next, { replace: true })
    },
  })
  const session = useSession()

  const onPhone = (e: FormEvent) => {
    e.preventDefault()
    request.mutate(phone)
  }
  const onCode = (e: FormEvent) => {
    e.preventDefault()
    verify.mutate()
  }
  const requestError = request.error instanceof ApiError ? request.error : undefined
  const verifyError = verify.error instanceof ApiError ? verify.error : undefined

  // Already signed in (a bookmark, the back button): no second code, which would cost one of the
  // three a number may ask for in 15 minutes.
  if (session.data && verify.isIdle) return <Navigate to={safeNext(params.get('next'), '/')} replace />

  return (
    <>
      <h1>{t('auth.signInTitle')}</h1>
      <p>{t('auth.signInIntro')}</p>
      {sentTo === null ? (
        <form className="form-card" onSubmit={onPhone} noValidate>
          {generalError(request.error, 'phone') ? (
            <p className="form-error" role="alert">
              {generalError(request.error, 'phone')}
            </p>
          ) : null}
          <PhoneField
            label={t('auth.phoneLabel')}
            hint={t('auth.phoneHint')}
            value={phone}
            onChange={setPhone}
            error={requestError?.fieldMessage('phone')}
          />
          <div className="form-actions">
            <button type="submit" className="btn" disabled={request.isPending}>
              <MessageSquareText className="icon" aria-hidden="true" />
              {request.isPending ? t('auth.sending') : t('auth.sendCode')}
            </button>
          </div>
        </form>
      ) : (
        <form className="form-card" onSubmit={onCode} noValidate>
          <p role="status">{t('auth.codeSent', { phone: formatVietnamesePhone(sentTo) })}</p>
          {generalError(verify.error, 'code') ? (
            <p className="form-error" role="alert">
              {generalError(verify.error, 'code')}
            </p>
          ) : null}
          <CodeField
            label={t('auth.codeLabel')}
            hint={t('auth.codeHint')}
            value={code}
            onChange={setCode}
            error={verifyError?.fieldMessage('code')}
          />
          <div className="form-actions">
            <button type="submit" className="btn" disabled={verify.isPending || code.length !== 6}>
              {t('auth.signInButton')}
            </button>
          </div>
          <p className="form-actions">
            <button
              type="button"
              className="link-button"
              onClick={() => request.mutate(sentTo)}
              disabled={request.isPending}
            >
              {t('auth.resend')}
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setSentTo(null)
                verify.reset()
              }}
            >
              {t('auth.changeNumber')}
            </button>
          </p>
          {requestError && sentTo ? (
            <p className="form-error" role="alert">
              {requestError.detail ?? requestError.title}
            </p>
          ) : null}
        </form>
      )}
      <p className="safety-note">
        <ShieldAlert className="icon" aria-hidden="true" />
        <span>{t('auth.neverShare')}</span>
      </p>
    </>
  )
}
