import type { Config } from '../../../config'
import { ConsoleSmsProvider } from './console-sms'
import { EsmsClient } from './esms-client'

export interface SmsMessage {
  /** +84… */
  to: string
  text: string
  /** The same id on a retry lets the provider drop the duplicate (eSMS RequestId). */
  requestId?: string
  /** Where the provider reports whether the SMS reached the phone (eSMS CallbackUrl). */
  callbackUrl?: string
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

/**
 * The provider of officers' answers and SMS alerts: by default the one that sends sign-in codes;
 * SMS_MESSAGES_PROVIDER=http gives them an eSMS account of their own (a brandname for replies).
 */
export function createMessagesSmsProvider(config: Config): SmsProvider {
  if (config.SMS_MESSAGES_PROVIDER === 'same') return createSmsProvider(config)
  if (config.SMS_MESSAGES_PROVIDER === 'http')
    return EsmsClient.fromConfig(
      { SMS_HTTP_URL: config.SMS_MESSAGES_HTTP_URL, SMS_HTTP_TOKEN: config.SMS_MESSAGES_HTTP_TOKEN },
      'SMS_MESSAGES',
    )
  return new ConsoleSmsProvider({ print: config.NODE_ENV !== 'test' })
}
