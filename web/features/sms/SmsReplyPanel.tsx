import { smsSegments, withoutDiacritics } from '@common/text/sms-text'
import { MessageSquareText, X } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { formatNumber } from '../../lib/format'
import { newClientKey } from '../messaging/send-queue'
import { useSendSms, useSmsReplyInfo } from './sms-api'
import './sms.css'

/** What a text would cost: the exact text sent, its segments and its price. */
export function quoteSms(text: string, plain: boolean, priceVnd: number) {
  const sent = plain ? withoutDiacritics(text.trim()) : text.trim()
  const { segments } = smsSegments(sent)
  return { text: sent, segments, costVnd: segments * priceVnd }
}

/**
 * The officer's answer by SMS: where it goes (masked), what it costs as typed and without
 * diacritics, and the unit's budget left — all before anything is sent. One key per answer, so a
 * double tap or a retry sends one SMS.
 */
export function SmsReplyPanel({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  const vnd = (n: number) => t('sms.vnd', { amount: formatNumber(n, lang) })
  const id = useId()
  const info = useSmsReplyInfo(conversationId, true)
  const send = useSendSms(conversationId)
  const [text, setText] = useState('')
  const [plain, setPlain] = useState(false)
  const [clientKey, setClientKey] = useState(newClientKey)
  const [sent, setSent] = useState<string | null>(null)

  const close = (
    <button type="button" className="btn btn--secondary btn--small" onClick={onClose}>
      <X className="icon" aria-hidden="true" /> {t('sms.reply.close')}
    </button>
  )
  if (info.isLoading) return <p role="status">{t('sms.loading')}</p>
  if (info.isError || !info.data)
    return (
      <section className="sms-panel" aria-label={t('sms.reply.title')}>
        <p role="alert">{t('sms.loadError')}</p>
        {close}
      </section>
    )
  const d = info.data
  const price = d.priceVndPerSegment
  const quote = quoteSms(text, plain, price)
  const asTyped = quoteSms(text, false, price)
  const bare = quoteSms(text, true, price)
  const overBudget = quote.costVnd > d.budget.remainingVnd
  const err = send.error instanceof ApiError ? send.error : null

  const submit = () => {
    if (!text.trim() || overBudget) return
    setSent(null)
    send.mutate(
      { text: text.trim(), withoutDiacritics: plain, clientKey },
      {
        onSuccess: (r) => {
          setSent(t('sms.reply.sent', { count: r.sms.segments, cost: vnd(r.sms.costVnd) }))
          setText('')
          setClientKey(newClientKey())
        },
      },
    )
  }

  return (
    <section className="sms-panel" aria-labelledby={`${id}-title`}>
      <div className="sms-panel__head">
        <h3 id={`${id}-title`}>
          <MessageSquareText className="icon" aria-hidden="true" /> {t('sms.reply.title')}
        </h3>
        {close}
      </div>
      {!d.available ? (
        <p role="status">{t(`sms.reply.unavailable.${d.reason ?? 'no_budget'}`)}</p>
      ) : (
        <form
          className="sms-panel__form"
          onSubmit={(e) => {
            e.preventDefault()
            submit()
          }}
        >
          <p>{t('sms.reply.to', { phone: d.phoneMasked })}</p>
          <label htmlFor={`${id}-text`}>{t('sms.reply.text')}</label>
          <textarea
            id={`${id}-text`}
            rows={3}
            maxLength={1000}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="field field--check">
            <input
              id={`${id}-plain`}
              type="checkbox"
              checked={plain}
              onChange={(e) => setPlain(e.target.checked)}
            />
            <label htmlFor={`${id}-plain`}>
              {t('sms.reply.plain', { withMarks: vnd(asTyped.costVnd), without: vnd(bare.costVnd) })}
            </label>
          </div>
          {plain && text.trim() && <p className="sms-panel__preview">{quote.text}</p>}
          <dl className="sms-quote" aria-live="polite">
            <dt>{t('sms.reply.cost')}</dt>
            <dd data-testid="sms-cost">
              {t('sms.reply.segments', {
                count: quote.segments,
                price: vnd(price),
                cost: vnd(quote.costVnd),
              })}
            </dd>
            <dt>{t('sms.reply.budgetLeft', { unit: d.budget.unitName ?? '' })}</dt>
            <dd data-testid="sms-budget">
              {t('sms.reply.budgetOf', {
                remaining: vnd(d.budget.remainingVnd),
                monthly: vnd(d.budget.monthlyVnd),
              })}
            </dd>
          </dl>
          {overBudget && <p role="alert">{t('sms.reply.overBudget')}</p>}
          {err && <p role="alert">{err.detail ?? err.title}</p>}
          <button type="submit" className="btn" disabled={!text.trim() || overBudget || send.isPending}>
            {t('sms.reply.send', { cost: vnd(quote.costVnd) })}
          </button>
          {sent && <p role="status">{sent}</p>}
        </form>
      )}
    </section>
  )
}
