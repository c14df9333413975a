import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export const ESMS_SEND_PATH = '/MainService.svc/json/SendMultipleMessage_V4_post_json/'

export interface EsmsSend {
  ApiKey?: string
  SecretKey?: string
  Phone?: string
  Content?: string
  SmsType?: string
  Brandname?: string
  IsUnicode?: string
  Sandbox?: string
  RequestId?: string
  CallbackUrl?: string
}

/**
 * A local stand-in for eSMS.vn's "Send OTP/Customer care message" (POST ${ESMS_SEND_PATH}, a JSON body
 * of strings, an answer with CodeResult). What it checks is what eSMS documents: 101 wrong
 * ApiKey/SecretKey, 104 unknown brandname, 108 a phone not in national form, 124 a RequestId seen
 * before (so a retried request is not sent twice). `accepted` holds the messages that "went out".
 */
export class FakeEsms {
  /** Every request, accepted or not. */
  readonly requests: EsmsSend[] = []
  /** The messages accepted (CodeResult 100): what residents' phones would receive, with eSMS's SMSID. */
  readonly accepted: (EsmsSend & { SMSID?: string })[] = []
  private readonly requestIds = new Set<string>()
  private readonly failures: { code: string; message: string; status?: number }[] = []
  private server: Server | undefined
  private counter = 0

  constructor(readonly account: { apiKey: string; secretKey: string; brandname?: string }) {}

  /** The SMS_MESSAGES_HTTP_TOKEN that matches this account. */
  get token(): string {
    const { apiKey, secretKey, brandname } = this.account
    return [apiKey, secretKey, brandname].filter(Boolean).join(':')
  }

  /** The next answer(s) fail with this eSMS code (or an HTTP status with no body). */
  failNext(code: string, message = 'error', times = 1, status?: number) {
    for (let i = 0; i < times; i++) this.failures.push({ code, message, ...(status ? { status } : {}) })
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' })
          res.end(JSON.stringify(body))
        }
        const url = new URL(req.url ?? '/', 'http://fake')
        if (req.method !== 'POST' || url.pathname !== ESMS_SEND_PATH) return reply(404, {})
        let body: EsmsSend
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EsmsSend
        } catch {
          return reply(400, {})
        }
        this.requests.push(body)
        const failure = this.failures.shift()
        if (failure?.status) return reply(failure.status, {})
        if (failure) return reply(200, { CodeResult: failure.code, ErrorMessage: failure.message })
        const refuse = (code: string, message: string) =>
          reply(200, { CodeResult: code, ErrorMessage: message })
        if (body.ApiKey !== this.account.apiKey || body.SecretKey !== this.account.secretKey)
          return refuse('101', 'Authorize Failed')
        if (body.SmsType === '2' && body.Brandname !== this.account.brandname)
          return refuse('104', 'Brandname/Call code does not exist.')
        if (!/^0\d{9,10}$/.test(body.Phone ?? ''))
          return refuse('108', 'Phone number is not in correct format.')
        if (body.RequestId) {
          if (this.requestIds.has(body.RequestId)) return refuse('124', 'Duplicate RequestId.')
          this.requestIds.add(body.RequestId)
        }
        const smsId = `esms-${++this.counter}`
        this.accepted.push({ ...body, SMSID: smsId })
        return reply(200, { CodeResult: '100', CountRegenerate: 0, SMSID: smsId })
      })
    })
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${ESMS_SEND_PATH}`
  }

  /**
   * The URL eSMS calls (HTTP GET) once the operator reports an accepted SMS: its CallbackUrl with the
   * documented fields (developers.esms.vn, "Callback Url"). `report` calls it.
   */
  reportUrl(sent: EsmsSend & { SMSID?: string }, outcome: 'delivered' | 'failed' | 'rejected'): string {
    if (!sent.CallbackUrl) throw new Error('this SMS was sent without a CallbackUrl')
    const q = new URLSearchParams({
      SMSID: sent.SMSID ?? '',
      SendFailed: outcome === 'delivered' ? '0' : '1',
      SendStatus: outcome === 'rejected' ? '4' : '5',
      SendSuccess: outcome === 'delivered' ? '1' : '0',
      TotalPrice: outcome === 'delivered' ? '800.0000' : '0.0000',
      TotalReceiver: '1',
      TotalSent: '1',
      RequestId: sent.RequestId ?? '',
      TypeId: sent.SmsType ?? '2',
      telcoid: '1',
      phonenumber: sent.Phone ?? '',
      switchsmsid: '',
    })
    return `${sent.CallbackUrl}?${q}`
  }

  /** Calls the partner back as eSMS does; returns the HTTP status it answered. */
  async report(sent: EsmsSend & { SMSID?: string }, outcome: 'delivered' | 'failed' | 'rejected') {
    return (await fetch(this.reportUrl(sent, outcome))).status
  }

  async stop() {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()))
  }
}

export interface MoDelivery {
  cpid: string
  privateKey: string
  smsid: string
  /** International form with 84, as eSMS sends it. */
  sender: string
  content: string
  serviceNumber?: string
  keyword?: string
  /** yyyyMMddHHmmss */
  receiverTime: string
}

/**
 * The query string eSMS calls the partner's MO link with (short-code "Kết nối đầu số ngắn"): HTTP GET
 * with sender, content, serviceNumber, keyword, sign, cpid, smsid, receiverTime, where
 * sign = MD5(cpid + smsid + content + receiverTime + private key).
 */
export function moQuery(m: MoDelivery, sign?: string): string {
  const expected = createHash('md5')
    .update(m.cpid + m.smsid + m.content + m.receiverTime + m.privateKey, 'utf8')
    .digest('hex')
  return new URLSearchParams({
    sender: m.sender,
    content: m.content,
    serviceNumber: m.serviceNumber ?? '8079',
    keyword: m.keyword ?? m.content.split(/\s+/)[0] ?? '',
    sign: sign ?? expected,
    cpid: m.cpid,
    smsid: m.smsid,
    receiverTime: m.receiverTime,
  }).toString()
}

/** yyyyMMddHHmmss in Vietnam time, as eSMS writes receiverTime. */
export function esmsTime(at: Date): string {
  const vn = new Date(at.getTime() + 7 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${vn.getUTCFullYear()}${p(vn.getUTCMonth() + 1)}${p(vn.getUTCDate())}${p(vn.getUTCHours())}${p(vn.getUTCMinutes())}${p(vn.getUTCSeconds())}`
}
