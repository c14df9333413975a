import type { TProfile, TUpdateProfile } from '@common/schemas/account'
import { formatVietnamesePhone } from '@common/text/phone'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { setLang } from '../../i18n'
import { setLargeText } from '../../lib/large-text'
import { AreaSearchField, type ChosenArea } from './AreaSearchField'
import { useUpdateProfile } from './account-api'

/** Name, area (searched by name or street), address, language and large text. */
export function ProfileForm({ profile }: { profile: TProfile }) {
  const { t } = useTranslation()
  const ids = {
    name: useId(),
    address: useId(),
    lang: useId(),
    large: useId(),
    sms: useId(),
  }
  const [displayName, setDisplayName] = useState(profile.displayName)
  const [address, setAddress] = useState(profile.address ?? '')
  const [locale, setLocale] = useState(profile.locale)
  const [largeText, setLarge] = useState(profile.largeText)
  const [smsAlerts, setSmsAlerts] = useState(profile.smsAlerts)
  const [chosen, setChosen] = useState<ChosenArea | null>(null)
  const update = useUpdateProfile()
  const [saved, setSaved] = useState(false)
  const isResident = profile.kind === 'resident'
  const err = update.error instanceof ApiError ? update.error : undefined

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    setSaved(false)
    const patch: TUpdateProfile = { displayName, address: address.trim() || null, locale, largeText }
    if (isResident) patch.smsAlerts = smsAlerts
    if (chosen) patch.areaSlug = chosen.slug
    update.mutate(patch, {
      onSuccess: () => {
        setSaved(true)
        setChosen(null)
        void setLang(locale)
        setLargeText(largeText)
      },
    })
  }

  return (
    <form className="form-card" onSubmit={onSubmit} noValidate aria-labelledby="profile-title">
      <h2 id="profile-title">{t('account.profileTitle')}</h2>
      {err && !err.errors?.length ? (
        <p className="form-error" role="alert">
          {err.detail ?? err.title}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={ids.name}>{t('account.name')}</label>
        <input
          id={ids.name}
          autoComplete="name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        {err?.fieldMessage('displayName') ? (
          <span className="field__error">{err.fieldMessage('displayName')}</span>
        ) : null}
      </div>
      {profile.phone ? (
        <p>
          {t('account.phone')}: <strong>{formatVietnamesePhone(profile.phone)}</strong>
        </p>
      ) : null}
      {isResident ? (
        <AreaSearchField
          legend={t('account.area')}
          status={
            chosen
              ? t('account.areaChosen', { name: chosen.name })
              : profile.area
                ? t('account.areaCurrent', { name: profile.area.name })
                : t('account.noArea')
          }
          onChoose={setChosen}
          error={err?.fieldMessage('areaSlug')}
        />
      ) : null}
      {isResident ? (
        <div className="field">
          <label htmlFor={ids.address}>{t('account.address')}</label>
          <input
            id={ids.address}
            autoComplete="street-address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={ids.lang}>{t('account.language')}</label>
        <select
          id={ids.lang}
          value={locale}
          onChange={(e) => setLocale(e.target.value === 'en' ? 'en' : 'vi')}
        >
          <option value="vi">{t('lang.vi')}</option>
          <option value="en">{t('lang.en')}</option>
        </select>
      </div>
      <div className="field field--check">
        <input
          id={ids.large}
          type="checkbox"
          checked={largeText}
          onChange={(e) => setLarge(e.target.checked)}
        />
        <label htmlFor={ids.large}>{t('account.largeText')}</label>
      </div>
      {isResident ? (
        <div className="field">
          <div className="field--check">
            <input
              id={ids.sms}
              type="checkbox"
              checked={smsAlerts}
              disabled={!profile.phone}
              aria-describedby={`${ids.sms}-hint`}
              onChange={(e) => setSmsAlerts(e.target.checked)}
            />
            <label htmlFor={ids.sms}>{t('account.smsAlerts')}</label>
          </div>
          <span id={`${ids.sms}-hint`} className="field__hint">
            {profile.phone
              ? t('account.smsAlertsHint', { phone: formatVietnamesePhone(profile.phone) })
              : t('account.smsAlertsNoPhone')}
          </span>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn" disabled={update.isPending}>
          {t('account.save')}
        </button>
        {saved ? <span role="status">{t('account.saved')}</span> : null}
      </div>
    </form>
  )
}
