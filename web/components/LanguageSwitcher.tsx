import { useTranslation } from 'react-i18next'
import { currentLang, setLang } from '../i18n'
import { LANGS } from '../i18n/languages'

/** Tiếng Việt / English; each option is labelled in its own language. */
export function LanguageSwitcher() {
  const { t } = useTranslation() // re-renders on language change
  const active = currentLang()
  return (
    <fieldset className="segmented" aria-label={t('prefs.language')}>
      {LANGS.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          className="segmented__option"
          aria-pressed={active === lang}
          onClick={() => void setLang(lang)}
        >
          {t(`lang.${lang}`)}
        </button>
      ))}
    </fieldset>
  )
}
