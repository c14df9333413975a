import type { TCheckPhoneResult } from '@common/schemas/directory'
import { formatVietnamesePhone } from '@common/text/phone'
import { CircleCheckBig, OctagonAlert, PhoneCall, Search } from 'lucide-react'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { ApiError } from '../../api/client'
import { useDocumentTitle } from '../../lib/use-document-title'
import { ScamReportForm } from '../scam-numbers/ScamReportForm'
import { nationalOf } from '../scam-numbers/scam-api'
import { useCheckPhone } from './directory-api'
import { officerName } from './OfficerCard'
import './directory.css'

function Official({ result }: { result: Extract<TCheckPhoneResult, { official: true }> }) {
  const { t } = useTranslation()
  const { owner } = result
  const name = owner.kind === 'officer' ? officerName(owner) : owner.name
  return (
    <section className="caller-result caller-result--official" aria-labelledby="caller-result-heading">
      <CircleCheckBig className="caller-result__icon" aria-hidden="true" />
      <div>
        <h2 id="caller-result-heading">{t('checkCaller.officialHeading', { name })}</h2>
        {owner.kind === 'officer' && owner.unit && (
          <p className="caller-result__who">
            {owner.title
              ? t('checkCaller.officialUnit', { title: owner.title, unit: owner.unit.name })
              : t('checkCaller.officialUnitOnly', { unit: owner.unit.name })}
          </p>
        )}
        <p>{t('checkCaller.checkedNumber', { phone: formatVietnamesePhone(result.phone) })}</p>
        <p className="caller-result__note">{t('checkCaller.officialNote')}</p>
        {owner.unit && (
          <Link to={`/u/${owner.unit.slug}`} className="btn btn--secondary">
            {t('checkCaller.viewUnit')}
          </Link>
        )}
      </div>
    </section>
  )
}

function NotOfficial({ result }: { result: Extract<TCheckPhoneResult, { official: false }> }) {
  const { t } = useTranslation()
  return (
    <section className="caller-result caller-result--warning" aria-labelledby="caller-result-heading">
      <OctagonAlert className="caller-result__icon" aria-hidden="true" />
      <div>
        <h2 id="caller-result-heading">{t('checkCaller.notOfficialHeading')}</h2>
        {result.scam && (
          <p className="caller-scam" data-testid="caller-scam">
            <strong>{result.scam.text}</strong>{' '}
            <Link to={`/so-lua-dao/${nationalOf(result.phone)}`}>{t('scam.seePage')}</Link>
          </p>
        )}
        <p>{t('checkCaller.notOfficialLead', { phone: formatVietnamesePhone(result.phone) })}</p>
        <ul className="caller-advice">
          {result.advice.map((a) => (
            <li key={a.key}>{a.text}</li>
          ))}
        </ul>
        <a className="btn caller-result__emergency" href="tel:113">
          <PhoneCall className="icon" aria-hidden="true" />
          {t('checkCaller.emergency')}
        </a>
        <ScamReportForm key={result.phone} phone={result.phone} />
      </div>
    </section>
  )
}

/** /check-caller — story S4: is the number that just called me really the police? */
export function CheckCallerPage() {
  const { t, i18n } = useTranslation()
  useDocumentTitle(t('checkCaller.title'))
  // "?phone=" (a link from a scam number's page, or back from signing in to report) checks at once.
  const [params] = useSearchParams()
  const [phone, setPhone] = useState(params.get('phone') ?? '')
  const check = useCheckPhone()
  const lastChecked = useRef<string | null>(null)
  const resultRef = useRef<HTMLDivElement>(null)

  const run = (value: string) => {
    lastChecked.current = value
    check.mutate(value, { onSuccess: () => resultRef.current?.focus() })
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (phone.trim()) run(phone.trim())
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for the number in the address
  useEffect(() => {
    const given = params.get('phone')
    if (given) run(given)
  }, [])
  // The advice comes from the server in the language on screen: ask again when it changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a language change re-runs the check
  useEffect(() => {
    if (lastChecked.current && check.data) run(lastChecked.current)
  }, [i18n.language])

  const error = check.error instanceof ApiError ? check.error : null
  const fieldError = error?.fieldMessage('phone')
  return (
    <>
      <h1>{t('checkCaller.title')}</h1>
      <p className="dir-lead">{t('checkCaller.intro')}</p>
      <form className="caller-form" onSubmit={submit} noValidate>
        <label htmlFor="caller-phone">{t('checkCaller.label')}</label>
        <p id="caller-phone-hint" className="caller-form__hint">
          {t('checkCaller.hint')}
        </p>
        <input
          id="caller-phone"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          aria-describedby={fieldError ? 'caller-phone-hint caller-phone-error' : 'caller-phone-hint'}
          aria-invalid={fieldError ? true : undefined}
        />
        {fieldError && (
          <p id="caller-phone-error" className="dir-error">
            {fieldError}
          </p>
        )}
        <button type="submit" className="btn caller-form__submit" disabled={check.isPending}>
          <Search className="icon" aria-hidden="true" />
          {check.isPending ? t('checkCaller.checking') : t('checkCaller.submit')}
        </button>
      </form>
      {error && !fieldError && (
        <p role="alert" className="dir-error">
          {error.status === 429 ? t('checkCaller.tooMany') : t('checkCaller.error')}
        </p>
      )}
      <div ref={resultRef} tabIndex={-1} className="caller-result-wrap" aria-live="polite">
        {check.data?.official === true && !check.isPending && <Official result={check.data} />}
        {check.data?.official === false && !check.isPending && <NotOfficial result={check.data} />}
      </div>
    </>
  )
}
