import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { PREF_KEYS, readPref, writePref } from '../lib/prefs-storage'
import { DEFAULT_LANG, isLang, type Lang } from './languages'
import vi from './vi.json'

/** Vietnamese is in the first download; English (most readers never ask for it) loads when chosen. */
export const resources = { vi: { translation: vi } } as const

async function loadLanguage(lang: Lang): Promise<void> {
  if (lang !== 'en' || i18next.hasResourceBundle('en', 'translation')) return
  const { default: en } = await import('./en.json')
  i18next.addResourceBundle('en', 'translation', en)
}

function applyDocumentLang(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang
}

const stored = readPref(PREF_KEYS.lang)
const initialLang: Lang = isLang(stored) ? stored : DEFAULT_LANG

// Vietnamese is bundled so the first screen never waits for a download; a reader who chose English
// starts in Vietnamese for the moment the English file takes (main.tsx waits for `languageReady`).
i18next.use(initReactI18next).init({
  resources,
  lng: DEFAULT_LANG,
  fallbackLng: DEFAULT_LANG,
  supportedLngs: ['vi', 'en'],
  initAsync: false,
  interpolation: { escapeValue: false }, // React already escapes
})
applyDocumentLang(DEFAULT_LANG)

/** Resolves once the reader's saved language is loaded and in use. */
export const languageReady: Promise<unknown> =
  initialLang === DEFAULT_LANG
    ? Promise.resolve()
    : loadLanguage(initialLang).then(() => i18next.changeLanguage(initialLang))

i18next.on('languageChanged', (lng) => {
  if (!isLang(lng)) return
  applyDocumentLang(lng)
  writePref(PREF_KEYS.lang, lng)
})

export function currentLang(): Lang {
  return isLang(i18next.resolvedLanguage) ? i18next.resolvedLanguage : DEFAULT_LANG
}

export async function setLang(lang: Lang): Promise<unknown> {
  await loadLanguage(lang)
  return i18next.changeLanguage(lang)
}

export default i18next
