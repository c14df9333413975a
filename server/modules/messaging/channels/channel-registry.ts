import type { TChannelPlatform } from '@common/schemas/channels'
import type { Config } from '../../../config'
import { openSecret } from '../../../lib/secret-box'
import type { ChannelAccountRow } from './channel.repository'
import type { AccountSecrets, ChannelAccount, ChannelAdapter } from './channel.types'
import { messengerAdapter } from './messenger.adapter'
import { zaloAdapter } from './zalo.adapter'

export type ChannelAdapters = Partial<Record<TChannelPlatform, ChannelAdapter>>

/** The platforms this server speaks, each against the base URL from the config (a local fake in tests). */
export function channelAdapters(config: Config): ChannelAdapters {
  return {
    messenger: messengerAdapter({
      graphUrl: config.MESSENGER_GRAPH_URL,
      version: config.MESSENGER_GRAPH_VERSION,
    }),
    zalo: zaloAdapter({ openApiUrl: config.ZALO_OPENAPI_URL }),
  }
}

/** An account row with its secrets opened: for adapters only, never for a response. */
export function openAccount(key: Buffer, row: ChannelAccountRow): ChannelAccount {
  return {
    id: row.id,
    unitId: row.unitId,
    platform: row.platform,
    externalId: row.externalId,
    appId: row.appId,
    secrets: openSecret<AccountSecrets>(key, row.secrets),
  }
}
