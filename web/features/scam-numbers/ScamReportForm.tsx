import { scamClaimValues, type TScamClaim } from '@common/schemas/scam-numbers'
import { CircleCheckBig, Flag } from 'lucide-react'
import { type FormEvent, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError } from '../../api/client'
import { useSession } from '../auth/use-session'
import { useReportScam } from './scam-api'
import './scam.css'

const WHEN = ['just_now', 'today', 'yesterday', 'earlier'] as const
type When = (typeof WHEN)[number]

/** The chip a resident taps, as a time: close enough for counting waves of calls. */
const HOURS_AGO: Record<When, number> = { just_now: 0, today: 3, yesterday: 24, earlier: 72 }

const newKey = () => `scam-${globalThis.crypto.randomUUID()}`

/**
 * After "not an officer's number": report it in two taps — open, send (the claim and the time are
 * preselected; amount and note are optional). Residents only; others are asked to sign in.
 */
export function ScamReportForm({ phone }: { phone: string }) {
  const { t } = useTranslation()
  const session = useSession()
  const report = useReportScam()
  const [open, setOpen] = useState(false)
  const [claimedAs, setClaimedAs] = useState<TScamClaim>('police')
  const [when, setWhen] = useState<When>('just_now')
  const [amount, setAmount] = useState('')
  const [note, setNote] = useState('')
  // One key per opened form, and times counted from when it opened: a double tap or a retry sends
  // the very same request, which the server answers with the first report.
  const [clientKey] = useState(newKey)
  const [openedAt] = useState(Date.now)
  // A second tap while the first is on its way sends nothing (the server would call it in flight).
  const sending = useRef(false)

  const user = session.data
  if (user === undefined) return null
  if (user?.kind !== 'resident') {
    if (user?.kind === 'staff') return null
    const next = `/check-caller?phone=${encodeURIComponent(phone)}`
    return (
      <p className="scam-report__signin">
        <Link to={`/sign-in?next=${encodeURIComponent(next)}`}>{t('scam.report.signIn')}</Link>
      </p>
    )
  }
  if (report.isSuccess)
    return (
      <p className="scam-report__done" role="status">
        <CircleCheckBig className="icon" aria-hidden="true" /> {t('scam.report.sent')}
      </p>
    )
  if (!open)
    return (
      <button type="button" className="btn btn--secondary scam-report__open" onClick={() => setOpen(true)}>
        <Flag className="icon" aria-hidden="true" /> {t('scam.report.open')}
      </button>
    )

  const err = report.error instanceof ApiError ? report.error : null
  const digits = amount.replace(/\D/g, '')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (sending.current) return
    sending.current = true
    report.mutate(
      {
        phone,
        claimedAs,
        calledAt: new Date(openedAt - HOURS_AGO[when] * 3_600_000).toISOString(),
        amountVnd: digits ? Number(digits) : null,
        ...(note.trim() ? { note: note.trim() } : {}),
        clientKey,
      },
      {
        onError: () => {
          sending.current = false
        },
      },
    )
  }
  return (
    <form className="scam-report" onSubmit={submit} aria-labelledby="scam-report-heading">
      <h3 id="scam-report-heading">{t('scam.report.heading')}</h3>
      <fieldset className="scam-chips">
        <legend>{t('scam.report.claimedAs')}</legend>
        {scamClaimValues.map((c) => (
          <label key={c} className="scam-chip">
            <input
              type="radio"
              name="claimedAs"
              value={c}
              checked={claimedAs === c}
              onChange={() => setClaimedAs(c)}
            />
            {t(`scam.claim.${c}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="scam-chips">
        <legend>{t('scam.report.when')}</legend>
        {WHEN.map((w) => (
          <label key={w} className="scam-chip">
            <input type="radio" name="when" value={w} checked={when === w} onChange={() => setWhen(w)} />
            {t(`scam.when.${w}`)}
          </label>
        ))}
      </fieldset>
      <label htmlFor="scam-amount">{t('scam.report.amount')}</label>
      <input
        id="scam-amount"
        inputMode="numeric"
        autoComplete="off"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        aria-invalid={err?.fieldMessage('amountVnd') ? true : undefined}
      />
      <label htmlFor="scam-note">{t('scam.report.note')}</label>
      <textarea
        id="scam-note"
        rows={2}
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {err && (
        <p role="alert" className="dir-error">
          {err.status === 429 ? t('scam.report.tooMany') : (err.detail ?? t('scam.report.error'))}
        </p>
      )}
      <button type="submit" className="btn" disabled={report.isPending}>
        {report.isPending ? t('scam.report.sending') : t('scam.report.send')}
      </button>
    </form>
  )
}
