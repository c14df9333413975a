import { describe, expect, it } from 'vitest'
import { displayPhone, layoutPoster } from './poster-layout'

describe('poster layout', () => {
  it('writes phone numbers the way residents dial them', () => {
    expect(displayPhone('+84912000011')).toBe('0912 000 011')
    expect(displayPhone('+842439781234')).toBe('024 3978 1234')
    expect(displayPhone(null)).toBe('')
  })

  it('keeps every line of text inside the page and in the chosen language', () => {
    const content = {
      code: 'K7M3QX9P',
      scanUrl: 'https://nhipcau.example.vn/q/K7M3QX9P',
      provinceName: 'Thành phố Hà Nội',
      unitName: 'Phường Hai Bà Trưng',
      areaName: 'Tổ dân phố số 1',
      officer: { name: 'Thượng úy Lê Đức Chương', phone: '+84912000011', photo: null },
      commanders: [
        { name: 'Trung tá Nguyễn Văn Hùng', title: 'Trưởng Công an phường', phone: '+84912000001' },
      ],
      unitPhone: '+842439781234',
    }
    for (const locale of ['vi', 'en'] as const) {
      const texts = layoutPoster(content, locale).filter((e) => e.kind === 'text')
      for (const t of texts) {
        expect(t.x).toBeGreaterThanOrEqual(0)
        expect(t.y).toBeLessThanOrEqual(842)
      }
      const all = texts.map((t) => t.text).join(' ')
      expect(all).toContain(locale === 'vi' ? 'Cảnh sát khu vực phụ trách' : 'Area police officer')
    }
  })
})
