import { describe, expect, it } from 'vitest'
import { foldVietnamese, slugify } from './fold'

describe('foldVietnamese', () => {
  it('removes every Vietnamese diacritic and folds đ to d', () => {
    expect(foldVietnamese('Đường Lê Lợi, Hà Nội')).toBe('duong le loi, ha noi')
    expect(foldVietnamese('ẩ ặ ỹ ữ ự ờ ở ợ ổ ễ ỵ')).toBe('a a y u u o o o o e y')
  })
  it('handles decomposed (NFD) input the same as composed', () => {
    expect(foldVietnamese('Lê Lợi'.normalize('NFD'))).toBe('le loi')
  })
})

describe('slugify', () => {
  it('makes a URL-safe slug from a ward name', () => {
    expect(slugify('Phường Hai Bà Trưng')).toBe('phuong-hai-ba-trung')
    expect(slugify('  Tổ dân phố số 12 / Ngõ 5 ')).toBe('to-dan-pho-so-12-ngo-5')
  })
})
