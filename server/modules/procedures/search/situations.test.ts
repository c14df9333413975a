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

  it('reads "đứng tên" as a vehicle transfer only when a vehicle is named with it', () => {
    for (const q of [
      'Căn nhà vẫn đứng tên ông nội đã mất, mấy chú muốn chia thì ra đâu',
      'sim dien thoai cua em dung ten chong nen vneid khong kich hoat duoc',
    ]) {
      expect(told(q), q).not.toContain('thu-hoi-dang-ky-va-sang-ten-xe')
    }
    for (const q of [
      'chiếc xe máy vẫn đứng tên người bán cũ, giờ em muốn chuyển qua tên em',
      'muon dung ten xe o to ba cho',
    ]) {
      expect(told(q), q).toContain('thu-hoi-dang-ky-va-sang-ten-xe')
    }
  })

  it('does not take a Vietnamese going abroad or taking a nationality for a foreigner', () => {
    for (const q of [
      'Chị em lấy chồng bên Đức, đã nhập quốc tịch Đức và ở bên đó luôn',
      'em chua ra nuoc ngoai bao gio, lam giay to gi truoc',
    ]) {
      expect(told(q), q).not.toContain('khai-bao-tam-tru-nguoi-nuoc-ngoai')
    }
    for (const q of ['Nhà em có khách quốc tịch Úc ở lại ba hôm', 'ban em nguoi nuoc ngoai den o nho']) {
      expect(told(q), q).toContain('khai-bao-tam-tru-nguoi-nuoc-ngoai')
    }
  })

  it('reads "lần đầu" as a first ID card, not a first passport or vehicle', () => {
    for (const q of ['làm hộ chiếu lần đầu cần gì', 'dang ky xe lan dau cho con']) {
      expect(told(q), q).not.toContain('cap-the-can-cuoc')
    }
    expect(told('cháu nhà em làm thẻ lần đầu ở đâu')).toContain('cap-the-can-cuoc')
  })
})
