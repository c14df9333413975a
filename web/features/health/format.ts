import type { TFunction } from 'i18next'

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB']

/** 48 234 112 → "46 MB" (1024-based, one decimal below 10), in the page's language. */
export function formatBytes(bytes: number, lang: string): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = value < 10 && unit > 0 ? 1 : 0
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value)} ${UNITS[unit]}`
}

/** 273 600 s → "3 days 4 h"; the two largest units only. */
export function formatDuration(seconds: number, t: TFunction): string {
  type Unit =
    | 'health.duration.days'
    | 'health.duration.hours'
    | 'health.duration.minutes'
    | 'health.duration.seconds'
  const parts: [number, Unit][] = [
    [Math.floor(seconds / 86_400), 'health.duration.days'],
    [Math.floor((seconds % 86_400) / 3_600), 'health.duration.hours'],
    [Math.floor((seconds % 3_600) / 60), 'health.duration.minutes'],
    [Math.floor(seconds % 60), 'health.duration.seconds'],
  ]
  const first = parts.findIndex(([n]) => n > 0)
  if (first < 0) return t('health.duration.seconds', { count: 0 })
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, key]) => t(key, { count: n }))
    .join(' ')
}

export const formatDateTime = (iso: string, lang: string) =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
