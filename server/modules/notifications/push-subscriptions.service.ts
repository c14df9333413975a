import type { Config } from '../../config'
import type { DbOrTx } from '../../db/client'
import { conflict, invalidField } from '../../lib/errors'
import { pushRepository } from './push.repository'
import { checkPushEndpoint, PushEndpointRefused } from './push-endpoint'

export interface SubscribeInput {
  userId: string
  endpoint: string
  p256dh: string
  auth: string
  userAgent: string | null
}

/**
 * Registers a browser's push subscription for the signed-in user. The endpoint must be a push
 * service on the allow-list (https in production) and never an internal address (F7). An endpoint
 * already registered stays with its owner: only the same user, or the same browser (it alone
 * knows the subscription's keys) after someone else signs in on it, may take it (F18).
 */
export async function subscribe(
  db: DbOrTx,
  config: Pick<Config, 'isProduction' | 'PUSH_ALLOWED_HOSTS'>,
  input: SubscribeInput,
) {
  if (config.isProduction && !input.endpoint.startsWith('https://')) {
    throw invalidField('endpoint', 'https_required', 'push.endpoint_invalid')
  }
  try {
    checkPushEndpoint(input.endpoint, config.PUSH_ALLOWED_HOSTS)
  } catch (err) {
    if (err instanceof PushEndpointRefused) {
      throw invalidField('endpoint', 'push_service_not_allowed', 'push.endpoint_not_allowed')
    }
    throw err
  }
  const row = await pushRepository.upsert(db, input)
  if (!row) throw conflict('push.endpoint_taken')
  return row
}
