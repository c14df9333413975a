import { contactPreferenceValues } from '@common/schemas/tips'
import { useMutation } from '@tanstack/react-query'
import { CircleCheck, EyeOff, Send } from 'lucide-react'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { ApiError, apiFetch } from '../../api/client'
import { useDocumentTitle } from '../../lib/use-document-title'
import { AreaSearchField, type ChosenArea } from '../account/AreaSearchField'
import { CodeField, PhoneField } from '../auth/PhoneCodeForms'
import { useSession } from '../auth/use-session'
import { checkTipFiles, type FileProblem } from './check-tip-files'
import { CategoryPicker, LocateButton, type Position, TextField, TipCodeCard } from './TipForm.parts'
import { newIdempotencyKey, useSubmitTip } from './tips-api'
import '../auth/auth.css'
import './tips.css'

/** "2026-11-28T21:30" from a datetime-local field, read as Vietnam time. */
const toIso = (local: string) => (local ? `${local}:00+07:00` : '')

/** /tips/new: a tip with photos or clips, the place, when it was seen; signed in, with a code, or anonymous. */
export function TipNewPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.tipNew'))
  const [params] = useSearchParams()
  const session = useSession()
  const user = session.data ?? null
  const submit = useSubmitTip()
  const filesId = useId()
  const [key, setKey] = useState(newIdempotencyKey)
  const [category, setCategory] = useState('')
  const [description, setDescription] = useState('')
  const [files, setFiles] = useState<File[]>([])
  const [fileProblems, setFileProblems] = useState<FileProblem[]>([])
  const [position, setPosition] = useState<Position | null>(null)
  const [address, setAddress] = useState('')
  const [pickedArea, setPickedArea] = useState<ChosenArea | null>(null)
  const [seenAt, setSeenAt] = useState('')
  const [contact, setContact] = useState('in_app')
  const [anonymous, setAnonymous] = useState(false)
  const [phone, setPhone] = useState('')
  const [otp, setOtp] = useState('')
  const sendCode = useMutation({
    mutationFn: () =>
      apiFetch<{ phone: string }>('/api/auth/otp/request', { method: 'POST', body: { phone } }),
  })
  const areaParam = params.get('area') ?? ''
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(areaParam)
  const areaId = isUuid ? areaParam : areaParam ? '' : (user?.areaId ?? '')
  const err = submit.error instanceof ApiError ? submit.error : undefined
  const fieldError = (f: string) => err?.fieldMessage(f)

  // Files are checked before anything is sent (count, type, size, length); again when "anonymous" changes.
  useEffect(() => {
    let current = true
    checkTipFiles(files, { anonymous }).then((p) => {
      if (current) setFileProblems(p)
    })
    return () => {
      current = false
    }
  }, [files, anonymous])

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (fileProblems.length) return
    const form = new FormData()
    const put = (k: string, v: string | number | undefined | null) => {
      if (v !== undefined && v !== null && v !== '') form.append(k, String(v))
    }
    put('category', category)
    put('description', description)
    put('lat', position?.lat)
    put('lng', position?.lng)
    put('locationSource', position ? 'gps' : address ? 'address' : 'area')
    put('addressText', address)
    put('areaId', areaId)
    if (areaParam && !isUuid) put('areaSlug', areaParam)
    else if (!areaId && pickedArea) put('areaSlug', pickedArea.slug)
    put('seenAt', toIso(seenAt))
    if (!anonymous) {
      put('contactPreference', contact)
      if (!user) {
        put('phone', phone)
        put('otpCode', otp)
      }
    }
    for (const f of files) form.append('files', f)
    submit.mutate({ form, key, anonymous })
  }

  if (submit.data) {
    const result = submit.data
    return (
      <>
        <h1>{t('tips.sent.heading')}</h1>
        <p className="tip-sent" role="status">
          <CircleCheck className="icon" aria-hidden="true" />{' '}
          {t('tips.sent.reference', { reference: result.tip.reference })}
        </p>
        {result.tipCode ? (
          <>
            <TipCodeCard code={result.tipCode} />
            <p>
              <Link to="/tips/code">{t('tips.sent.followWithCode')}</Link>
            </p>
          </>
        ) : (
          <p>
            <Link to={`/tips/mine/${result.tip.id}`} className="btn">
              {t('tips.sent.follow')}
            </Link>
          </p>
        )}
        <button
          type="button"
          className="btn btn--secondary"
          onClick={() => {
            submit.reset()
            setKey(newIdempotencyKey())
            setDescription('')
            setFiles([])
          }}
        >
          {t('tips.sent.another')}
        </button>
      </>
    )
  }

  return (
    <>
      <h1>{t('pages.tipNew')}</h1>
      <p className="tip-lead">{t('tips.form.lead')}</p>
      <form className="form-card tip-form" onSubmit={onSubmit} noValidate>
        <CategoryPicker value={category} onChange={setCategory} error={fieldError('category')} />
        <TextField
          name="description"
          label={t('tips.form.description')}
          hint={t('tips.form.descriptionHint')}
          value={description}
          onChange={setDescription}
          multiline
          required
          error={fieldError('description')}
        />
        <div className="field">
          <label htmlFor={filesId}>{t('tips.form.files')}</label>
          <span className="field__hint" id={`${filesId}-hint`}>
            {t('tips.form.filesHint')}
          </span>
          <input
            id={filesId}
            type="file"
            name="files"
            accept="image/*,video/*"
            capture="environment"
            multiple
            aria-describedby={`${filesId}-hint`}
            aria-invalid={fileProblems.length > 0 || undefined}
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
          {files.length > 0 && (
            <span className="field__hint">{t('tips.form.filesChosen', { count: files.length })}</span>
          )}
          {fileProblems.length > 0 && (
            <ul className="field__error" role="alert">
              {fileProblems.map((p) => (
                <li key={`${p.key}-${p.values.name ?? ''}`}>{t(`tips.form.fileCheck.${p.key}`, p.values)}</li>
              ))}
            </ul>
          )}
          {fieldError('files') && <span className="field__error">{fieldError('files')}</span>}
        </div>
        <fieldset className="tip-where">
          <legend>{t('tips.form.where')}</legend>
          <LocateButton position={position} onPosition={setPosition} />
          <TextField
            name="addressText"
            label={t('tips.form.address')}
            value={address}
            onChange={setAddress}
            error={fieldError('addressText')}
          />
          {/* Without a QR poster's area or the resident's own, the place is found by its group or street. */}
          {!areaId && !areaParam ? (
            <AreaSearchField
              legend={t('tips.form.area')}
              status={
                pickedArea
                  ? t('tips.form.areaChosen', { name: pickedArea.name })
                  : t(position ? 'tips.form.areaOptional' : 'tips.form.areaNeeded')
              }
              onChoose={setPickedArea}
              error={fieldError('areaId') ?? fieldError('areaSlug')}
            />
          ) : (
            fieldError('areaId') && <span className="field__error">{fieldError('areaId')}</span>
          )}
        </fieldset>
        <TextField
          name="seenAt"
          type="datetime-local"
          label={t('tips.form.seenAt')}
          value={seenAt}
          onChange={setSeenAt}
        />
        <div className="tip-anonymous">
          <label className="tip-anonymous__toggle">
            <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
            <EyeOff className="icon" aria-hidden="true" />
            {t('tips.form.anonymous')}
          </label>
          <p className="field__hint">{t('tips.form.anonymousExplain')}</p>
        </div>
        {!anonymous && (
          <>
            <div className="field">
              <label htmlFor={`${filesId}-contact`}>{t('tips.form.contact')}</label>
              <select id={`${filesId}-contact`} value={contact} onChange={(e) => setContact(e.target.value)}>
                {contactPreferenceValues.map((c) => (
                  <option key={c} value={c}>
                    {t(`tips.contact.${c}`)}
                  </option>
                ))}
              </select>
            </div>
            {!user && (
              <fieldset className="tip-phone">
                <legend>{t('tips.form.phoneLegend')}</legend>
                <PhoneField
                  label={t('tips.form.phone')}
                  value={phone}
                  onChange={setPhone}
                  error={fieldError('phone')}
                />
                <button
                  type="button"
                  className="btn btn--secondary"
                  onClick={() => sendCode.mutate()}
                  disabled={sendCode.isPending}
                >
                  {t('tips.form.sendCode')}
                </button>
                {sendCode.isSuccess && <p role="status">{t('tips.form.codeSent')}</p>}
                {sendCode.error instanceof ApiError && (
                  <p role="alert">{sendCode.error.fieldMessage('phone') ?? sendCode.error.detail}</p>
                )}
                <CodeField
                  label={t('tips.form.code')}
                  value={otp}
                  onChange={setOtp}
                  error={fieldError('code') ?? fieldError('otpCode')}
                />
              </fieldset>
            )}
          </>
        )}
        {err && !err.errors?.length && (
          <p role="alert" className="field__error">
            {err.detail ?? err.title}
          </p>
        )}
        <button type="submit" className="btn tip-submit" disabled={submit.isPending}>
          <Send className="icon" aria-hidden="true" />
          {submit.isPending
            ? t('tips.form.sending')
            : anonymous
              ? t('tips.form.sendAnonymous')
              : t('tips.form.send')}
        </button>
      </form>
    </>
  )
}
