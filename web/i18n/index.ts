import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { PREF_KEYS, readPref, writePref } from '../lib/prefs-storage'
import en from './en.json'
import { DEFAULT_LANG, isLang, type Lang } from './languages'
import vi from './vi.json'

export const resources = { vi: { translation: vi }, en: { translation: en } } as const

function applyDocumentLang(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang
}

const stored = readPref(PREF_KEYS.lang)
const initialLang: Lang = isLang(stored) ? stored : DEFAULT_LANG

// Both languages are bundled (a few kB each) so the first screen never waits for a download.
i18next.use(initReactI18next).init({
  resources,
  lng: initialLang,
  fallbackLng: DEFAULT_LANG,
  supportedLngs: ['vi', 'en'],
  initAsync: false,
  interpolation: { escapeValue: false }, // React already escapes
})
applyDocumentLang(initialLang)

i18next.on('languageChanged', (lng) => {
  if (!isLang(lng)) return
  applyDocumentLang(lng)
  writePref(PREF_KEYS.lang, lng)
})

export function currentLang(): Lang {
  return isLang(i18next.resolvedLanguage) ? i18next.resolvedLanguage : DEFAULT_LANG
}

export function setLang(lang: Lang): Promise<unknown> {
  return i18next.changeLanguage(lang)
}

export default i18next
