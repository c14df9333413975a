import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normaliseQuestion, termRuleMap } from './normalise'
import { askedPart, withoutOldPapers } from './story'

const file = JSON.parse(
  readFileSync(new URL('../../../../catalogue/procedures/situations-vi.json', import.meta.url), 'utf8'),
)
const terms = termRuleMap(file.terms)
const without = (question: string) => withoutOldPapers(normaliseQuestion(question, terms))?.join(' ')

describe('the question read without the old police papers', () => {
  it('drops the old paper and the term the map added for it, and keeps the rest', () => {
    // "chuyển hộ khẩu" adds "đăng ký thường trú": both go, the pension question stays.
    expect(without('Tôi đã chuyển hộ khẩu về nhà con, giờ muốn đổi nơi lĩnh lương hưu')).toBe(
      'toi da chuyen ve nha con gio muon doi noi linh luong huu',
    )
    expect(without('cần bản sao chứng minh thư để nộp hồ sơ xin việc')).toBe(
      'can ban sao de nop ho so xin viec',
    )
    expect(without('mat cmnd roi lam sao')).toBe('mat roi lam sao')
  })

  it('is null when no old paper is named (the reading is the question itself)', () => {
    expect(without('Em mới thuê phòng trọ ở phường, đăng ký tạm trú thế nào')).toBeUndefined()
    // "khẩu" alone (khẩu trang, a mask) is no old paper.
    expect(without('mua khẩu trang ở đâu')).toBeUndefined()
  })
})

describe('what the resident asks', () => {
  it('is the last sentence of a story, grown back to a few words', () => {
    expect(
      askedPart('Nhà tôi có ba người thuê trọ mới đến từ tuần trước. Họ ở lâu dài. Tôi phải khai báo ở đâu?'),
    ).toBe('Tôi phải khai báo ở đâu?')
    expect(askedPart('Mẹ tôi ở quê lên chơi với cháu mấy hôm. Có cần báo không?')).toBe('Có cần báo không?')
    // Too short an end ("Cảm ơn ạ.") takes the sentence before it too.
    expect(askedPart('Em mới thuê trọ ở phường được một tuần. Đăng ký ở đâu? Cảm ơn ạ.')).toBe(
      'Đăng ký ở đâu? Cảm ơn ạ.',
    )
  })

  it('is the last clause of a one-sentence story, and null for a short question', () => {
    expect(askedPart('con tôi vừa tròn 14 tuổi hôm qua, đi làm căn cước ở đâu')).toBe('đi làm căn cước ở đâu')
    expect(askedPart('làm căn cước ở đâu')).toBeNull()
    expect(askedPart('làm lại căn cước bị mất thì cần mang những giấy tờ gì ạ')).toBeNull()
  })
})
