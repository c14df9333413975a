import { DEFAULT_LANG, INTL_LOCALE, type Lang } from '../i18n/languages'

/** All dates and times are shown in Vietnam's time zone, wherever the browser is. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh'

export type DateInput = Date | string | number

// en-GB gives day/month/year order and 24-hour time; the parts are reassembled below so the
// output is exactly `28/11/2026 14:05` whatever separators the ICU data of a browser uses.
const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

function toDate(value: DateInput): Date | null {
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

function parts(value: DateInput): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> | null {
  const date = toDate(value)
  if (!date) return null
  const map = { day: '', month: '', year: '', hour: '', minute: '' }
  for (const part of dateTimeParts.formatToParts(date)) {
    if (part.type in map) map[part.type as keyof typeof map] = part.value
  }
  return map
}

/** `28/11/2026 14:05` (Asia/Ho_Chi_Minh). Returns '' for an invalid date. */
export function formatDateTime(value: DateInput): string {
  const p = parts(value)
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : ''
}

/** `28/11/2026` (Asia/Ho_Chi_Minh). Returns '' for an invalid date. */
export function formatDate(value: DateInput): string {
  const p = parts(value)
  return p ? `${p.day}/${p.month}/${p.year}` : ''
}

/** `14:05` (Asia/Ho_Chi_Minh). Returns '' for an invalid date. */
export function formatTime(value: DateInput): string {
  const p = parts(value)
  return p ? `${p.hour}:${p.minute}` : ''
}

const numberFormats = new Map<string, Intl.NumberFormat>()

/** `7.000` in Vietnamese, `7,000` in English. */
export function formatNumber(
  value: number,
  lang: Lang = DEFAULT_LANG,
  options?: Intl.NumberFormatOptions,
): string {
  const key = `${lang}|${JSON.stringify(options ?? {})}`
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[lang], options)
    numberFormats.set(key, format)
  }
  return format.format(value)
}
