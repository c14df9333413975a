import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatNumber, formatTime } from './format'

describe('formatDateTime', () => {
  it('shows day/month/year hour:minute in Asia/Ho_Chi_Minh (UTC+7)', () => {
    expect(formatDateTime(new Date('2026-11-28T07:05:00Z'))).toBe('28/11/2026 14:05')
  })

  it('accepts ISO strings and timestamps', () => {
    expect(formatDateTime('2026-11-28T07:05:00Z')).toBe('28/11/2026 14:05')
    expect(formatDateTime(Date.UTC(2026, 10, 28, 7, 5))).toBe('28/11/2026 14:05')
  })

  it('rolls over to the next day in Vietnam time', () => {
    expect(formatDateTime('2026-12-31T17:30:00Z')).toBe('01/01/2027 00:30')
  })

  it('uses a 24-hour clock with leading zeros', () => {
    expect(formatDateTime('2026-03-04T01:02:00Z')).toBe('04/03/2026 08:02')
  })

  it('returns an empty string for an invalid date', () => {
    expect(formatDateTime('not a date')).toBe('')
  })
})

describe('formatDate and formatTime', () => {
  it('split the same moment in Vietnam time', () => {
    expect(formatDate('2026-11-28T18:00:00Z')).toBe('29/11/2026')
    expect(formatTime('2026-11-28T18:00:00Z')).toBe('01:00')
  })
})

describe('formatNumber', () => {
  it('uses . for thousands in Vietnamese', () => {
    expect(formatNumber(7000, 'vi')).toBe('7.000')
    expect(formatNumber(1234567, 'vi')).toBe('1.234.567')
  })

  it('uses , for thousands in English', () => {
    expect(formatNumber(7000, 'en')).toBe('7,000')
    expect(formatNumber(1234567, 'en')).toBe('1,234,567')
  })

  it('defaults to Vietnamese', () => {
    expect(formatNumber(500)).toBe('500')
    expect(formatNumber(18000)).toBe('18.000')
  })

  it('uses the decimal separator of the language', () => {
    expect(formatNumber(2.5, 'vi')).toBe('2,5')
    expect(formatNumber(2.5, 'en')).toBe('2.5')
  })
})
