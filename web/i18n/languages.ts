/** Languages the interface is written in; Vietnamese is the default. */
export const LANGS = ['vi', 'en'] as const
export type Lang = (typeof LANGS)[number]
export const DEFAULT_LANG: Lang = 'vi'

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value)
}

/** BCP 47 locale used with Intl for each interface language. */
export const INTL_LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-US' }
