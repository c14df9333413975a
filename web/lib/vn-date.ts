/**
 * Dates typed the Vietnamese way. A phone's native date picker shows its own order (mm/dd/yyyy on
 * many Chromium builds whatever the page's language), so residents type `28/11/2026 14:05`; the
 * form keeps the value in the `<input type="datetime-local">` shape (`2026-11-28T14:05`).
 */

const pad = (n: number) => String(n).padStart(2, '0')

/** `28/11/2026` → `2026-11-28`; with `withTime`, `28/11/2026 14:05` → `2026-11-28T14:05`. Null if not a real date. */
export function parseVnDate(text: string, withTime: boolean): string | null {
  const m =
    /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?:\s+(\d{1,2})\s*[:hg]\s*(\d{2}))?\s*$/i.exec(text)
  if (!m) return null
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return null
  const date = `${year}-${pad(month)}-${pad(day)}`
  if (!withTime) return m[4] === undefined ? date : null
  const [hour, minute] = [Number(m[4] ?? 0), Number(m[5] ?? 0)]
  if (hour > 23 || minute > 59) return null
  return `${date}T${pad(hour)}:${pad(minute)}`
}

/** `2026-11-28T14:05` → `28/11/2026 14:05`; `2026-11-28` → `28/11/2026`; '' for anything else. */
export function formatVnDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value)
  if (!m) return ''
  return `${m[3]}/${m[2]}/${m[1]}${m[4] ? ` ${m[4]}:${m[5]}` : ''}`
}
