import { createHash, timingSafeEqual } from 'node:crypto'
import { parseVietnamesePhone } from '@common/text/phone'

/**
 * eSMS.vn short-code MO ("Kết nối đầu số ngắn", developers.esms.vn → esms-api → ket-noi-ma-svoucher →
 * ket-noi-dau-so-ngan): when a resident texts the unit's number, eSMS calls the partner's link with
 * HTTP GET ?sender=84…&content=…&serviceNumber=8079&keyword=…&sign=…&cpid=…&smsid=…&receiverTime=
 * yyyyMMddhhmmss, where sign = MD5(cpid + smsid + content + receiverTime + PrivateKey) and smsid is
 * unique per message ("used to check duplicates"). The partner answers with an XML ClientResponse
 * (Message = an automatic reply text, empty for none; Smsid; Receiver).
 */
export interface MoQuery {
  sender: string
  content: string
  serviceNumber?: string | undefined
  keyword?: string | undefined
  sign: string
  cpid: string
  smsid: string
  receiverTime: string
}

export interface ParsedMo {
  providerId: string
  /** +84… */
  sender: string
  content: string
  serviceNumber: string
  keyword: string
  receivedAt: Date
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest()

/** True when the delivery was signed with the private key eSMS gave for this CP id. */
export function verifyMo(q: MoQuery, cpid: string, privateKey: string): boolean {
  if (q.cpid !== cpid || !/^[0-9a-f]{32}$/i.test(q.sign)) return false
  const expected = md5(q.cpid + q.smsid + q.content + q.receiverTime + privateKey)
  return timingSafeEqual(expected, Buffer.from(q.sign.toLowerCase(), 'hex'))
}

/** yyyyMMddHHmmss in Vietnam time (UTC+7, no daylight saving). */
export function parseEsmsTime(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s)
  if (!m) return null
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number]
  const at = new Date(Date.UTC(y, mo - 1, d, h - 7, mi, se))
  return Number.isNaN(at.getTime()) ? null : at
}

/**
 * The delivery as stored; null when the number or the time cannot be read. `routeKeyword` is the
 * keyword eSMS routes to this server on a shared short code ("CAP …"): it is taken off the text.
 * eSMS also sends the first word as `keyword` on a dedicated number, where it is part of the text.
 */
export function parseMo(q: MoQuery, routeKeyword?: string): ParsedMo | null {
  const phone = parseVietnamesePhone(q.sender.startsWith('84') ? `+${q.sender}` : q.sender)
  const receivedAt = parseEsmsTime(q.receiverTime)
  if (!phone.ok || !receivedAt) return null
  const keyword = q.keyword ?? ''
  const text = q.content.trim()
  const first = text.split(/\s/, 1)[0] ?? ''
  const content =
    routeKeyword && first.toLowerCase() === routeKeyword.toLowerCase()
      ? text.slice(first.length).trim()
      : text
  return {
    providerId: q.smsid,
    sender: phone.e164,
    content,
    serviceNumber: q.serviceNumber ?? '',
    keyword,
    receivedAt,
  }
}

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)

/** The answer eSMS expects. No automatic reply text: every SMS out is an officer's, and costs the unit. */
export function moResponse(smsid: string, receiver: string): string {
  return `<ClientResponse><Message></Message><Smsid>${escapeXml(smsid)}</Smsid><Receiver>${escapeXml(receiver)}</Receiver></ClientResponse>`
}
