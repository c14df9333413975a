import { randomUUID } from 'node:crypto'
import { parseVietnamesePhone } from '@common/text/phone'
import { isGsm7 } from '@common/text/sms-text'
import type { Config } from '../../../config'
import { SmsDeliveryError, type SmsMessage, type SmsProvider } from './sms-provider'

/**
 * eSMS.vn, "Send OTP/Customer care message" and "Send fixed number" (developers.esms.vn, esms-api →
 * send-sms-api): POST https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/
 * with a JSON body of strings:
 *   ApiKey, SecretKey  — account credentials;
 *   Phone              — the receiver ("0901888484" in their samples, so the national form);
 *   Content            — the text;
 *   SmsType            — "2" customer care (needs a registered Brandname) or "8" fixed number (OTP);
 *   Brandname          — sender name, only with SmsType 2;
 *   IsUnicode          — "1" to keep Vietnamese diacritics;
 *   Sandbox            — "1" validates without sending or charging;
 *   RequestId          — de-duplicates a retried request;
 *   CallbackUrl        — where eSMS reports the SMS's status (sms-delivery-report.service.ts).
 * The answer is JSON: CodeResult ("100" = accepted), SMSID, ErrorMessage.
 */
export const ESMS_DEFAULT_URL = 'https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/'

export interface EsmsOptions {
  url?: string
  apiKey: string
  secretKey: string
  brandname?: string
  sandbox?: boolean
  timeoutMs?: number
}

interface EsmsResponse {
  CodeResult?: string
  SMSID?: string
  ErrorMessage?: string
}

export class EsmsClient implements SmsProvider {
  readonly name = 'esms'

  constructor(private readonly options: EsmsOptions) {}

  /** SMS_HTTP_TOKEN is "ApiKey:SecretKey" or "ApiKey:SecretKey:Brandname"; SMS_HTTP_URL overrides the endpoint. */
  static fromConfig(
    config: Pick<Config, 'SMS_HTTP_URL' | 'SMS_HTTP_TOKEN'>,
    prefix: 'SMS' | 'SMS_MESSAGES' = 'SMS',
  ): EsmsClient {
    const [apiKey, secretKey, brandname] = (config.SMS_HTTP_TOKEN ?? '').split(':')
    if (!apiKey || !secretKey) {
      throw new Error(
        `${prefix === 'SMS' ? 'SMS_PROVIDER' : 'SMS_MESSAGES_PROVIDER'}=http needs ${prefix}_HTTP_TOKEN="ApiKey:SecretKey[:Brandname]" (eSMS.vn)`,
      )
    }
    return new EsmsClient({ url: config.SMS_HTTP_URL ?? ESMS_DEFAULT_URL, apiKey, secretKey, brandname })
  }

  async send(message: SmsMessage) {
    const phone = parseVietnamesePhone(message.to)
    if (!phone.ok) throw new SmsDeliveryError(`not a Vietnamese number: ${message.to}`)
    const body: Record<string, string> = {
      ApiKey: this.options.apiKey,
      SecretKey: this.options.secretKey,
      Phone: phone.national,
      Content: message.text,
      SmsType: this.options.brandname ? '2' : '8',
      // As the segments are counted (common/text/sms-text.ts): GSM-7 text goes as it is, anything else as UCS-2.
      IsUnicode: isGsm7(message.text) ? '0' : '1',
      Sandbox: this.options.sandbox ? '1' : '0',
      RequestId: message.requestId ?? randomUUID(),
    }
    if (this.options.brandname) body.Brandname = this.options.brandname
    // eSMS calls it with HTTP GET once the operator reports the SMS (developers.esms.vn: Callback Url).
    if (message.callbackUrl) body.CallbackUrl = message.callbackUrl
    let res: Response
    try {
      res = await fetch(this.options.url ?? ESMS_DEFAULT_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      })
    } catch (err) {
      throw new SmsDeliveryError(`eSMS unreachable: ${(err as Error).message}`)
    }
    if (!res.ok) throw new SmsDeliveryError(`eSMS answered HTTP ${res.status}`)
    const data = (await res.json().catch(() => ({}))) as EsmsResponse
    if (data.CodeResult !== '100') {
      throw new SmsDeliveryError(
        `eSMS refused the message: ${data.ErrorMessage ?? 'no reason'}`,
        data.CodeResult,
      )
    }
    return { providerId: data.SMSID ?? null }
  }
}
