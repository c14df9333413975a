/**
 * How an SMS is billed: by segments. Text that fits the GSM 03.38 alphabet (7-bit) takes 160
 * characters in one message and 153 per part when split; anything else (Vietnamese with diacritics)
 * goes as UCS-2: 70 characters, 67 per part. A Vietnamese answer therefore costs two to three
 * times more with diacritics, which is why the officer is shown both and may send without them.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
/** Characters of the GSM extension table: each takes two septets (an escape and the character). */
const GSM_EXTENDED = '^{}\\[~]|€\f'
const basic = new Set(GSM_BASIC)
const extended = new Set(GSM_EXTENDED)

export type SmsEncoding = 'gsm7' | 'ucs2'

export interface SmsQuote {
  encoding: SmsEncoding
  /** The exact text that would be sent. */
  text: string
  segments: number
  costVnd: number
}

export const isGsm7 = (text: string) => [...text].every((c) => basic.has(c) || extended.has(c))

/** Units of each character in the encoding: septets for GSM-7, UTF-16 code units for UCS-2. */
function weights(text: string, encoding: SmsEncoding): number[] {
  return [...text].map((c) => (encoding === 'gsm7' ? (extended.has(c) ? 2 : 1) : c.length))
}

/**
 * Segments the text takes. Parts are packed the way phones and gateways split them: a character
 * (an escape pair, a surrogate pair) is never cut between two parts. An empty text is one segment.
 */
export function smsSegments(text: string): { encoding: SmsEncoding; segments: number } {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2'
  const w = weights(text, encoding)
  const total = w.reduce((s, n) => s + n, 0)
  const [single, part] = encoding === 'gsm7' ? [160, 153] : [70, 67]
  if (total <= single) return { encoding, segments: 1 }
  let segments = 1
  let used = 0
  for (const n of w) {
    if (used + n > part) {
      segments += 1
      used = 0
    }
    used += n
  }
  return { encoding, segments }
}

/** Punctuation a keyboard or a copy-paste brings that GSM-7 lacks, and its plain form. */
const PLAIN_PUNCTUATION: Record<string, string> = {
  '“': '"',
  '”': '"',
  '„': '"',
  '‘': "'",
  '’': "'",
  '`': "'",
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
  '•': '-',
}

/**
 * Vietnamese without diacritics ("Công an phường" → "Cong an phuong"), đ → d, and nothing outside
 * plain ASCII: the result always goes as GSM-7. Characters with no plain form become "?".
 */
export function withoutDiacritics(text: string): string {
  return [
    ...text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D'),
  ]
    .map((c) => PLAIN_PUNCTUATION[c] ?? c)
    .join('')
    .replace(/[^\x20-\x7e\n]/gu, '?')
}

/** The cost of sending `text` as it is, and as it would be without diacritics. */
export function quoteSms(
  text: string,
  priceVndPerSegment: number,
): { asWritten: SmsQuote; withoutDiacritics: SmsQuote } {
  const quote = (t: string): SmsQuote => {
    const { encoding, segments } = smsSegments(t)
    return { encoding, text: t, segments, costVnd: segments * priceVndPerSegment }
  }
  return { asWritten: quote(text), withoutDiacritics: quote(withoutDiacritics(text)) }
}
