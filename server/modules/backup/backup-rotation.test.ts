import { describe, expect, it } from 'vitest'
import { archivesToPrune, backupName } from './backup-rotation'

const at = (iso: string) => backupName(new Date(iso))

describe('scheduled backup rotation', () => {
  it('names an archive by its UTC time', () => {
    expect(backupName(new Date('2026-12-05T02:30:07.123Z'))).toBe('nhipcau-2026-12-05T023007Z.tar.gz')
  })

  it('keeps the newest of each of the last 7 days and of the last 4 weeks, and nothing else', () => {
    // One nightly backup for 60 days, ending Saturday 5 December 2026, plus a manual one that night.
    const names: string[] = []
    for (let d = 0; d < 60; d++) names.push(at(new Date(Date.UTC(2026, 11, 5 - d, 2, 30)).toISOString()))
    names.push(at('2026-12-05T09:00:00Z'), 'notes.txt', 'nhipcau-latest.tar.gz')
    const pruned = archivesToPrune(names, { daily: 7, weekly: 4 })
    const kept = names.filter((n) => !pruned.includes(n))
    expect(kept.sort()).toEqual(
      [
        'nhipcau-latest.tar.gz',
        'notes.txt',
        // Newest of each of the last 4 ISO weeks: Sundays close weeks 46–48; week 49 is this week.
        at('2026-11-15T02:30:00Z'),
        at('2026-11-22T02:30:00Z'),
        at('2026-11-29T02:30:00Z'),
        // The last 7 days, the manual one standing for 5 December.
        at('2026-11-30T02:30:00Z'),
        at('2026-12-01T02:30:00Z'),
        at('2026-12-02T02:30:00Z'),
        at('2026-12-03T02:30:00Z'),
        at('2026-12-04T02:30:00Z'),
        at('2026-12-05T09:00:00Z'),
      ].sort(),
    )
    expect(pruned).toContain(at('2026-12-05T02:30:00Z'))
    expect(pruned).toHaveLength(names.length - kept.length)
  })

  it('keeps everything while there are fewer archives than the rule allows', () => {
    const names = [at('2026-12-04T02:30:00Z'), at('2026-12-05T02:30:00Z')]
    expect(archivesToPrune(names, { daily: 7, weekly: 4 })).toEqual([])
  })
})
