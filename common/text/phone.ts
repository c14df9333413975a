/**
 * Vietnamese phone numbers. "0912 345 678", "+84 912.345.678", "84912345678" and "0084912345678"
 * are one number: +84912345678. Mobile prefixes follow the 2018 renumbering (10-digit numbers);
 * landlines are 02x… (11 digits with the 0). Used by sign-in and by the caller check.
 */
export type PhoneKind = 'mobile' | 'landline'

export type ParsedPhone =
  | { ok: true; e164: string; national: string; kind: PhoneKind }
  | { ok: false; reason: 'empty' | 'invalid_format' | 'unknown_prefix' }

/** Mobile prefixes after the leading 0, by network (Viettel, Vinaphone, MobiFone, Vietnamobile, Gmobile, iTel, Reddi). */
const MOBILE_PREFIXES = new Set([
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '38',
  '39',
  '86',
  '96',
  '97',
  '98', // Viettel
  '81',
  '82',
  '83',
  '84',
  '85',
  '88',
  '91',
  '94', // Vinaphone
  '70',
  '76',
  '77',
  '78',
  '79',
  '89',
  '90',
  '93', // MobiFone
  '52',
  '56',
  '58',
  '92', // Vietnamobile
  '59',
  '99', // Gmobile
  '87', // iTel
  '55', // Reddi
])

/** Separators people type or paste: spaces (incl. no-break), dots, dashes, brackets. */
const SEPARATORS = /[\s.\-()\u00a0]/g

export function parseVietnamesePhone(input: string | null | undefined): ParsedPhone {
  const raw = (input ?? '').replace(SEPARATORS, '')
  if (!raw) return { ok: false, reason: 'empty' }
  if (!/^\+?\d+$/.test(raw)) return { ok: false, reason: 'invalid_format' }
  let digits = raw.replace(/^\+/, '')
  const hadPlus = raw.startsWith('+')
  if (digits.startsWith('0084')) digits = digits.slice(4)
  else if (hadPlus) {
    if (!digits.startsWith('84')) return { ok: false, reason: 'invalid_format' }
    digits = digits.slice(2)
  } else if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12))
    digits = digits.slice(2)
  else if (digits.startsWith('0')) digits = digits.slice(1)
  // `digits` is now the national significant number, without the trunk 0.
  if (digits.startsWith('0')) return { ok: false, reason: 'invalid_format' }
  if (digits.length === 9) {
    if (!MOBILE_PREFIXES.has(digits.slice(0, 2))) return { ok: false, reason: 'unknown_prefix' }
    return { ok: true, e164: `+84${digits}`, national: `0${digits}`, kind: 'mobile' }
  }
  if (digits.length === 10 && digits.startsWith('2')) {
    return { ok: true, e164: `+84${digits}`, national: `0${digits}`, kind: 'landline' }
  }
  return { ok: false, reason: digits.length < 9 || digits.length > 10 ? 'invalid_format' : 'unknown_prefix' }
}

/** The +84… form of a Vietnamese mobile number, or null when it is not one. */
export function normalizeMobilePhone(input: string | null | undefined): string | null {
  const parsed = parseVietnamesePhone(input)
  return parsed.ok && parsed.kind === 'mobile' ? parsed.e164 : null
}

/** The +84… form of any Vietnamese number (mobile or landline), or null. */
export function normalizeVietnamesePhone(input: string | null | undefined): string | null {
  const parsed = parseVietnamesePhone(input)
  return parsed.ok ? parsed.e164 : null
}

/** "+84912345678" → "0912 345 678"; "+842439781234" → "024 3978 1234". Unknown input is returned as is. */
export function formatVietnamesePhone(e164: string): string {
  const parsed = parseVietnamesePhone(e164)
  if (!parsed.ok) return e164
  const n = parsed.national
  if (parsed.kind === 'mobile') return `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`
  return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`
}
