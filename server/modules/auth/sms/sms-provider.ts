import type { Config } from '../../../config'
import { ConsoleSmsProvider } from './console-sms'
import { EsmsClient } from './esms-client'

export interface SmsMessage {
  /** +84… */
  to: string
  text: string
}

/** Anything that delivers a text message; throws SmsDeliveryError when the provider refuses. */
export interface SmsProvider {
  readonly name: string
  send(message: SmsMessage): Promise<{ providerId: string | null }>
}

export class SmsDeliveryError extends Error {
  override name = 'SmsDeliveryError'
  constructor(
    message: string,
    readonly providerCode?: string,
  ) {
    super(message)
  }
}

/** console (default: prints the message, for the demo and development) or eSMS.vn over HTTP. */
export function createSmsProvider(config: Config): SmsProvider {
  if (config.SMS_PROVIDER === 'http') return EsmsClient.fromConfig(config)
  return new ConsoleSmsProvider({ print: config.NODE_ENV !== 'test' })
}
