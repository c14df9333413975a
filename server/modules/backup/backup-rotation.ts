/**
 * Names and rotation of scheduled backups: `nhipcau-2026-12-05T023000Z.tar.gz` in one folder;
 * keep the newest archive of each of the last `daily` days that have one, and the newest of each
 * of the last `weekly` ISO weeks; everything else in the folder that matches the name goes.
 */
const NAME = /^nhipcau-(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z\.tar\.gz$/

export function backupName(at: Date): string {
  return `nhipcau-${at.toISOString().slice(0, 19).replace(/:/g, '')}Z.tar.gz`
}

function takenAt(name: string): Date | undefined {
  const m = NAME.exec(name)
  if (!m) return undefined
  const [, y, mo, d, h, mi, s] = m
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`)
}

/** Monday-based ISO week, as `2026-W49`: two archives of one week share it. */
function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
  const day = d.getUTCDay() || 7
  d.setUTCDate(d.getUTCDate() + 4 - day)
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1)
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7)
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

/** The archives to delete among `names` (files of one folder; other names are never touched). */
export function archivesToPrune(names: string[], keep: { daily: number; weekly: number }): string[] {
  const dated = names
    .map((name) => ({ name, at: takenAt(name) }))
    .filter((b): b is { name: string; at: Date } => b.at !== undefined)
    .sort((a, b) => b.at.getTime() - a.at.getTime())
  const kept = new Set<string>()
  const pick = (bucketOf: (at: Date) => string, count: number) => {
    const seen = new Set<string>()
    for (const b of dated) {
      const bucket = bucketOf(b.at)
      if (seen.has(bucket)) continue
      if (seen.size >= count) break
      seen.add(bucket)
      kept.add(b.name)
    }
  }
  pick((at) => at.toISOString().slice(0, 10), keep.daily)
  pick(isoWeek, keep.weekly)
  return dated.filter((b) => !kept.has(b.name)).map((b) => b.name)
}
