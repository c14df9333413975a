import { describe, expect, it } from 'vitest'
import { isGsm7, quoteSms, smsSegments, withoutDiacritics } from './sms-text'

describe('SMS segments and cost', () => {
  it('counts 160 GSM-7 characters as one segment and 161 as two (153 per part)', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'gsm7', segments: 1 })
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'gsm7', segments: 2 })
    expect(smsSegments('a'.repeat(306))).toEqual({ encoding: 'gsm7', segments: 2 })
    expect(smsSegments('a'.repeat(307))).toEqual({ encoding: 'gsm7', segments: 3 })
  })

  it('counts an extension character (€, [, ~) as two septets', () => {
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'gsm7', segments: 1 })
    expect(smsSegments('€'.repeat(81))).toEqual({ encoding: 'gsm7', segments: 2 })
  })

  it('sends Vietnamese with diacritics as UCS-2: 70 characters, then 67 per part', () => {
    expect(isGsm7('Công an phường')).toBe(false)
    expect(smsSegments('ư'.repeat(70))).toEqual({ encoding: 'ucs2', segments: 1 })
    expect(smsSegments('ư'.repeat(71))).toEqual({ encoding: 'ucs2', segments: 2 })
    expect(smsSegments('ư'.repeat(134))).toEqual({ encoding: 'ucs2', segments: 2 })
    expect(smsSegments('ư'.repeat(135))).toEqual({ encoding: 'ucs2', segments: 3 })
  })

  it('takes the diacritics off, đ included, and keeps plain ASCII only', () => {
    expect(withoutDiacritics('Đội Cảnh sát khu vực: “đến trụ sở” – 8 giờ…')).toBe(
      'Doi Canh sat khu vuc: "den tru so" - 8 gio...',
    )
    expect(withoutDiacritics('Chào bà 😊')).toBe('Chao ba ?')
    expect(isGsm7(withoutDiacritics('Ông Nguyễn Văn Ửng, phường Hàng Bồ'))).toBe(true)
  })

  it('quotes both forms: a 100-character Vietnamese answer is 2 segments with diacritics, 1 without', () => {
    const text =
      'Chào chị, Công an phường đã nhận được thông tin. Chị mang căn cước đến trụ sở lúc 8 giờ sáng mai nhé.'
    const q = quoteSms(text, 800)
    expect(q.asWritten).toMatchObject({ encoding: 'ucs2', segments: 2, costVnd: 1600, text })
    expect(q.withoutDiacritics).toMatchObject({ encoding: 'gsm7', segments: 1, costVnd: 800 })
    expect(q.withoutDiacritics.text).toMatch(/^Chao chi, Cong an phuong da nhan/)
  })
})
