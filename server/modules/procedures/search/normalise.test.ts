import { describe, expect, it } from 'vitest'
import { normaliseQuestion, repairWord, termRuleMap } from './normalise'

describe('repairing what the keyboard left', () => {
  it('removes VNI digits and Telex marks when a Vietnamese syllable results', () => {
    const repaired = (s: string) => s.split(' ').map(repairWord).join(' ')
    expect(repaired('d9a8ng ky1 ta5m tru1')).toBe('dang ky tam tru')
    expect(repaired('tajm tru dduwowngf nuwowcs ngoaif')).toBe('tam tru duong nuoc ngoai')
  })

  it('leaves real words, licence classes and form codes alone', () => {
    for (const w of ['xe', 'tam', 'b2', 'a1', 'ct07', '14', 'vneid', 'visa', 'online', 'zalo'])
      expect(repairWord(w)).toBe(w)
  })
})

describe('mapping regional and old words', () => {
  const rules = termRuleMap([
    { from: 'man', to: 'lam', mode: 'replace' },
    { from: 'kt3', to: 'tam tru', mode: 'replace' },
    { from: 'nhap khau', to: 'dang ky thuong tru', mode: 'add' },
  ])

  it('replaces or adds today’s words and remembers what the resident wrote', () => {
    const q = normaliseQuestion('Mần KT3 hay nhập khẩu?', rules)
    expect(q.words.map((w) => w.norm).join(' ')).toBe('lam tam tru hay nhap khau va dang ky thuong tru')
    const kt3 = q.words[1]!
    expect(q.said.slice(kt3.from![0], kt3.from![1] + 1)).toEqual(['KT3'])
  })
})

describe('regional words read from how they were typed', () => {
  it('reads Southern "vô" as "vào", not "vợ", and "dìa" as "về"; leaves them alone without diacritics', () => {
    const norm = (q: string) =>
      normaliseQuestion(q, termRuleMap([]))
        .words.map((w) => w.norm)
        .join(' ')
    expect(norm('Tui vô Sài Gòn ở với vợ')).toBe('tui vao sai gon o voi vo')
    expect(norm('dìa quê ăn Tết, địa chỉ cũ')).toBe('ve que an tet dia chi cu')
    expect(norm('tui vo sai gon')).toBe('tui vo sai gon')
  })
})
