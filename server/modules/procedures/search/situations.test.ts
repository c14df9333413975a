import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normaliseQuestion, termRuleMap } from './normalise'
import { compileSituations, situationsTold } from './ranker'

const file = JSON.parse(
  readFileSync(new URL('../../../../catalogue/procedures/situations-vi.json', import.meta.url), 'utf8'),
)
const situations = compileSituations(file.situations)
const terms = termRuleMap(file.terms)
const told = (question: string) =>
  situationsTold(situations, normaliseQuestion(question, terms)).map((s) => s.procedure)

describe('situation patterns and words that fold alike', () => {
  it('does not read "vì" (because) as "ví" (a wallet): a death is not a lost ID card', () => {
    for (const q of [
      'Bà nội em mất vì tuổi già hôm qua, gia đình cần làm giấy tờ gì ở phường ạ',
      'ba noi em mat vi benh tim, nha em phai lam giay gi',
      'Bố em mất vì tai nạn giao thông, cần báo tử ở đâu',
      'em bi mat ngu vi lo, hoi chut thoi',
    ]) {
      expect(told(q), q).not.toContain('cap-lai-the-can-cuoc')
    }
    expect(told('ba noi em mat vi benh tim, nha em phai lam giay gi')).toContain('dang-ky-khai-tu')
  })

  it('still hears a lost wallet when the resident says so', () => {
    for (const q of [
      'Em bị mất ví ở chợ hôm qua, giờ phải làm sao',
      'hom qua em lam rot cai vi o ben xe roi',
      'bị móc túi lấy mất cái bóp rồi anh ơi',
      'em de quen vi tien tren taxi',
      'mat vis o cho roi',
    ]) {
      expect(told(q), q).toContain('cap-lai-the-can-cuoc')
    }
  })

  it('reports the resident’s words of the match that counted', () => {
    const q = normaliseQuestion('mẹ em mất vì bệnh, còn em thì bị mất ví hôm qua', terms)
    const lost = situationsTold(situations, q).find((s) => s.procedure === 'cap-lai-the-can-cuoc')
    expect(lost?.said).toMatch(/ví$/)
  })
})
