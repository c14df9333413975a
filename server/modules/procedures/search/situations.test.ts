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

  // Eighth round: patterns that fired on the wrong story in the training questions' misses.
  it('reads a lost wallet or a lost card as no death ("bà em mất ví")', () => {
    for (const q of [
      'Bà em mất ví ở chợ sáng nay, trong đó có thẻ căn cước',
      'mẹ tui mất cái thẻ căn cước rồi, làm lại ở đâu',
      'làm hộ chiếu trên cổng của bộ công an mất bao lâu',
      'con em đi học xa, bố mẹ khai vắng mặt cho cháu được không',
    ]) {
      expect(told(q), q).not.toContain('dang-ky-khai-tu')
    }
    for (const q of ['Bà em mất tối qua ở nhà, gia đình phải báo ở đâu', 'ong noi em mat roi, lam giay gi']) {
      expect(told(q), q).toContain('dang-ky-khai-tu')
    }
  })

  it('reads "để con" (so that the child) as no birth; "đẻ con" still is one', () => {
    expect(told('Nhà em thuê căn nhà gần trường để con đi học cho tiện')).not.toContain('dang-ky-khai-sinh')
    expect(told('vợ em vừa đẻ con trai hôm qua ở trạm xá')).toContain('dang-ky-khai-sinh')
  })

  it('does not read "công ty bảo / yêu cầu" as a residence certificate when another paper is named', () => {
    for (const q of [
      'Công ty bảo em nộp phiếu lý lịch tư pháp trước khi ký hợp đồng',
      'ngân hàng yêu cầu giấy xác nhận số chứng minh cũ 9 số',
      'công ty bảo hiểm đòi giấy chứng tử của bố em',
    ]) {
      expect(told(q), q).not.toContain('xac-nhan-thong-tin-cu-tru')
    }
    expect(told('Trường yêu cầu giấy tờ chứng minh gia đình em đang sống ở phường')).toContain(
      'xac-nhan-thong-tin-cu-tru',
    )
  })

  it('does not read a rented room as a new temporary residence in an extension, removal or certificate question', () => {
    for (const q of [
      'em ở trọ gần công ty, tạm trú sắp hết hạn mà em còn làm tiếp',
      'Em thuê trọ, công ty cần giấy xác nhận cư trú thì xin ở đâu',
      'em không ở trọ chỗ cũ nữa, muốn xóa tạm trú bên đó',
      'nhà em cho người Hàn Quốc thuê phòng, khai báo ra sao',
    ]) {
      expect(told(q), q).not.toContain('dang-ky-tam-tru')
    }
    expect(told('Em mới lên thành phố, thuê phòng trọ gần chợ được một tuần')).toContain('dang-ky-tam-tru')
  })

  it('does not read going abroad to study or to the army as a temporary absence when the story is about something else', () => {
    for (const q of [
      'Em sắp đi nghĩa vụ, phòng trọ cũ em có đăng ký tạm trú thì xử lý sao',
      'em đi du học, trường bên đó đòi phiếu lý lịch tư pháp',
    ]) {
      expect(told(q), q).not.toContain('khai-bao-tam-vang')
    }
    expect(told('Con em đi du học Nhật ba năm, ở nhà có phải khai báo gì không')).toContain(
      'khai-bao-tam-vang',
    )
  })
})

describe('no place to register (twelfth round)', () => {
  it('hears a resident with no home or no room to register as a residence-information declaration', () => {
    for (const q of [
      'Chú tôi ở túp lều ven đê mấy năm nay, giờ khai nơi ở thế nào',
      'em thue phong nho qua nen khong dang ky duoc tam tru, phai lam sao',
      'tui chẳng có chỗ ở cố định, đi làm thuê khắp nơi',
    ]) {
      expect(told(q), q).toContain('khai-bao-thong-tin-cu-tru')
    }
    expect(told('Phòng trọ chẳng có nhà vệ sinh riêng, em đăng ký tạm trú có được không')).not.toContain(
      'khai-bao-thong-tin-cu-tru',
    )
  })
})
