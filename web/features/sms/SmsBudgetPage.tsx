import { alertKindValues, type TAlertKind } from '@common/schemas/alerts'
import type { TSmsSettings } from '@common/schemas/sms'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { formatDateTime, formatNumber } from '../../lib/format'
import { UnitSubpageHeader } from '../organisation/UnitSubpageHeader'
import { useSmsSettings, useUpdateSmsSettings } from './sms-api'
import '../auth/auth.css'
import '../directory/directory.css'
import './sms.css'

function useVnd() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  return (n: number) => t('sms.vnd', { amount: formatNumber(n, lang) })
}

/** The month at a glance: budget, spent, left, how many SMS. */
function MonthSummary({ s }: { s: TSmsSettings }) {
  const { t } = useTranslation()
  const vnd = useVnd()
  const left = Math.max(0, s.monthlyBudgetVnd - s.spentThisMonthVnd)
  return (
    <section aria-labelledby="sms-month" className="sms-month">
      <h2 id="sms-month">{t('sms.budget.month')}</h2>
      <dl className="sms-quote">
        <dt>{t('sms.budget.monthly')}</dt>
        <dd data-testid="sms-monthly">{vnd(s.monthlyBudgetVnd)}</dd>
        <dt>{t('sms.budget.spent')}</dt>
        <dd data-testid="sms-spent">{vnd(s.spentThisMonthVnd)}</dd>
        <dt>{t('sms.budget.left')}</dt>
        <dd>{vnd(left)}</dd>
        <dt>{t('sms.budget.sends')}</dt>
        <dd data-testid="sms-sends">{t('sms.budget.sendCount', { count: s.sendsThisMonth })}</dd>
        <dt>{t('sms.budget.price')}</dt>
        <dd>{vnd(s.priceVndPerSegment)}</dd>
      </dl>
      {s.monthlyBudgetVnd > 0 && (
        <meter
          className="sms-meter"
          min={0}
          max={s.monthlyBudgetVnd}
          value={s.spentThisMonthVnd}
          aria-label={t('sms.budget.spent')}
        />
      )}
    </section>
  )
}

function SettingsForm({ unitId, s }: { unitId: string; s: TSmsSettings }) {
  const { t } = useTranslation()
  const id = useId()
  const [budget, setBudget] = useState(String(s.monthlyBudgetVnd))
  const [kinds, setKinds] = useState<TAlertKind[]>(s.alertKinds)
  const update = useUpdateSmsSettings(unitId)
  const err = update.error instanceof ApiError ? update.error : null
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate({ monthlyBudgetVnd: Number(budget) || 0, alertKinds: kinds })
  }
  const toggle = (k: TAlertKind) => setKinds(kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k])
  return (
    <form className="form-card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('sms.budget.settings')}</h2>
      <div className="field">
        <label htmlFor={`${id}-budget`}>{t('sms.budget.monthlyInput')}</label>
        <input
          id={`${id}-budget`}
          type="number"
          inputMode="numeric"
          min={0}
          step={1000}
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
        />
        <span className="field__hint">{t('sms.budget.monthlyHint')}</span>
        {err?.fieldMessage('monthlyBudgetVnd') && (
          <span className="field__error">{err.fieldMessage('monthlyBudgetVnd')}</span>
        )}
      </div>
      <fieldset className="field">
        <legend className="field__label">{t('sms.budget.alertKinds')}</legend>
        {alertKindValues.map((k) => (
          <div key={k} className="field field--check">
            <input id={`${id}-${k}`} type="checkbox" checked={kinds.includes(k)} onChange={() => toggle(k)} />
            <label htmlFor={`${id}-${k}`}>{t(`alerts.kind.${k}`)}</label>
          </div>
        ))}
      </fieldset>
      {err && !err.errors?.length && <p role="alert">{err.detail ?? err.title}</p>}
      <div className="form-actions">
        <button type="submit" className="btn" disabled={update.isPending}>
          {t('sms.budget.save')}
        </button>
        {update.isSuccess && <span role="status">{t('sms.budget.saved')}</span>}
      </div>
    </form>
  )
}

function RecentSends({ s }: { s: TSmsSettings }) {
  const { t } = useTranslation()
  const vnd = useVnd()
  return (
    <section aria-labelledby="sms-recent">
      <h2 id="sms-recent">{t('sms.budget.recent')}</h2>
      {s.recentSends.length === 0 ? (
        <p>{t('sms.budget.none')}</p>
      ) : (
        // A table wider than a phone scrolls sideways: the keyboard must reach it too (WCAG 2.1.1).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the keyboard focus
        <section className="sms-table-wrap" tabIndex={0} aria-labelledby="sms-recent">
          <table className="sms-table">
            <thead>
              <tr>
                <th scope="col">{t('sms.budget.when')}</th>
                <th scope="col">{t('sms.budget.purpose')}</th>
                <th scope="col">{t('sms.budget.segmentsCol')}</th>
                <th scope="col">{t('sms.budget.costCol')}</th>
                <th scope="col">{t('sms.budget.statusCol')}</th>
              </tr>
            </thead>
            <tbody>
              {s.recentSends.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(r.createdAt)}</td>
                  <td>{t(`sms.purpose.${r.purpose}`)}</td>
                  <td>{r.segments}</td>
                  <td>{vnd(r.costVnd)}</td>
                  <td>{t(`sms.status.${r.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  )
}

/** /staff/units/:id/sms — the commander's SMS budget: the month so far, the settings, the latest SMS. */
export function SmsBudgetPage() {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const settings = useSmsSettings(id)
  return (
    <>
      <UnitSubpageHeader unitId={id} title={t('sms.budget.title')} intro={t('sms.budget.intro')} />
      {settings.isLoading && <p role="status">{t('sms.loading')}</p>}
      {settings.isError && <p role="alert">{t('sms.loadError')}</p>}
      {settings.data && (
        <>
          <MonthSummary s={settings.data} />
          <SettingsForm key={id} unitId={id} s={settings.data} />
          <RecentSends s={settings.data} />
        </>
      )}
    </>
  )
}
