import { describe, expect, it } from 'vitest'
import { formatVnDate, parseVnDate } from './vn-date'

describe('dates typed day first', () => {
  it('reads day/month/year, with or without the time', () => {
    expect(parseVnDate('28/11/2026', false)).toBe('2026-11-28')
    expect(parseVnDate('5/1/2027', false)).toBe('2027-01-05')
    expect(parseVnDate('28/11/2026 14:05', true)).toBe('2026-11-28T14:05')
    expect(parseVnDate('28/11/2026 9h30', true)).toBe('2026-11-28T09:30')
    expect(parseVnDate('28/11/2026', true)).toBe('2026-11-28T00:00')
  })

  it('refuses what is not a real date, and month-first American dates past the 12th', () => {
    expect(parseVnDate('31/02/2026', false)).toBeNull()
    expect(parseVnDate('11/28/2026', false)).toBeNull()
    expect(parseVnDate('28/11/2026 24:00', true)).toBeNull()
    expect(parseVnDate('28/11/2026 14:05', false)).toBeNull()
    expect(parseVnDate('hôm qua', true)).toBeNull()
  })

  it('shows a stored value day first', () => {
    expect(formatVnDate('2026-11-28T14:05')).toBe('28/11/2026 14:05')
    expect(formatVnDate('2026-11-28')).toBe('28/11/2026')
    expect(formatVnDate('')).toBe('')
  })
})
