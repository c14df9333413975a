import { describe, expect, it } from 'vitest'
import {
  formatVietnamesePhone,
  normalizeMobilePhone,
  normalizeVietnamesePhone,
  parseVietnamesePhone,
} from './phone'

describe('Vietnamese phone numbers', () => {
  it.each([
    '0912345678',
    '0912 345 678',
    '0912.345.678',
    '0912-345-678',
    '+84912345678',
    '+84 912 345 678',
    '84912345678',
    '0084912345678',
    '(+84) 912.345.678',
    ' 0912\u00a0345\u00a0678 ',
  ])('reads %j as +84912345678', (input) => {
    expect(normalizeMobilePhone(input)).toBe('+84912345678')
  })

  it('knows every network’s mobile prefixes, including 084 which starts like the country code', () => {
    for (const n of [
      '0321234567',
      '0861234567',
      '0812345678',
      '0841234567',
      '0701234567',
      '0521234567',
      '0591234567',
      '0871234567',
      '0551234567',
    ]) {
      expect(normalizeMobilePhone(n), n).toBe(`+84${n.slice(1)}`)
    }
    expect(normalizeMobilePhone('84841234567')).toBe('+84841234567')
  })

  it('rejects numbers that are not Vietnamese mobiles, saying why', () => {
    expect(parseVietnamesePhone('')).toEqual({ ok: false, reason: 'empty' })
    expect(parseVietnamesePhone('09123')).toEqual({ ok: false, reason: 'invalid_format' })
    expect(parseVietnamesePhone('091234567890')).toEqual({ ok: false, reason: 'invalid_format' })
    expect(parseVietnamesePhone('0112345678')).toEqual({ ok: false, reason: 'unknown_prefix' })
    expect(parseVietnamesePhone('0951234567')).toEqual({ ok: false, reason: 'unknown_prefix' })
    expect(parseVietnamesePhone('+1 415 555 0100')).toEqual({ ok: false, reason: 'invalid_format' })
    expect(parseVietnamesePhone('09l2345678')).toEqual({ ok: false, reason: 'invalid_format' })
    expect(normalizeMobilePhone('024 3978 1234')).toBeNull()
  })

  it('accepts landlines where any official number is meant (the caller check)', () => {
    expect(normalizeVietnamesePhone('024 3978 1234')).toBe('+842439781234')
    expect(normalizeVietnamesePhone('+84 24 3978 1234')).toBe('+842439781234')
    expect(parseVietnamesePhone('02439781234')).toMatchObject({ ok: true, kind: 'landline' })
  })

  it('formats numbers the way people write them', () => {
    expect(formatVietnamesePhone('+84912345678')).toBe('0912 345 678')
    expect(formatVietnamesePhone('+842439781234')).toBe('024 3978 1234')
  })
})
