import en from './messages.en.json'
import vi from './messages.vi.json'

export type Locale = 'vi' | 'en'
export const locales: readonly Locale[] = ['vi', 'en']

const catalogues: Record<Locale, Record<string, string>> = { vi, en }

/** Server-side messages (problem titles, field errors). Falls back to Vietnamese, then to the key. */
export function translate(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  const text = catalogues[locale][key] ?? catalogues.vi[key] ?? key
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`))
}

export function hasMessage(key: string): boolean {
  return key in catalogues.vi
}

/** Picks vi or en from an Accept-Language header; Vietnamese first. */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'vi'
  const tags = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=')
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 }
    })
    .sort((a, b) => b.q - a.q)
  for (const { tag } of tags) {
    if (tag.startsWith('vi')) return 'vi'
    if (tag.startsWith('en')) return 'en'
  }
  return 'vi'
}
