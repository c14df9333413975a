import type {
  TChannelAccountView,
  TChannelPlatform,
  TConnectMessengerRequest,
  TConnectZaloRequest,
} from '@common/schemas/channels'
import type { DbOrTx } from '../../../db/client'
import type { Actor } from '../../../lib/actor'
import { forbidden, notFound } from '../../../lib/errors'
import { sealSecret } from '../../../lib/secret-box'
import { type AuditContext, audit } from '../../audit/audit.service'
import { conversationRepository } from '../conversation.repository'
import { messagingPolicy } from '../messaging.policy'
import { iso } from '../messaging.presenter'
import { type ChannelAccountRow, channelRepository } from './channel.repository'
import type { AccountSecrets } from './channel.types'
import type { ChannelGateway } from './channel-outbound.service'

/** What staff see of a connected account: never a secret, never a token. */
export function presentAccount(row: ChannelAccountRow, publicUrl: string): TChannelAccountView {
  return {
    id: row.id,
    unitId: row.unitId,
    platform: row.platform,
    externalId: row.externalId,
    name: row.name,
    status: row.status,
    webhookUrl: `${publicUrl}/api/channels/${row.platform}/${row.id}/webhook`,
    tokenExpiresAt: iso(row.tokenExpiresAt),
    lastEventAt: iso(row.lastEventAt),
    lastError: row.lastError,
    createdAt: iso(row.createdAt)!,
  }
}

/** One account to connect, whatever the platform: the ids, and the secrets to seal. */
export interface AccountToConnect {
  platform: TChannelPlatform
  externalId: string
  appId?: string
  name: string
  secrets: AccountSecrets
  tokenExpiresAt?: Date
}

/** The Page form: the app secret checks webhook signatures, the verify token the handshake. */
export const messengerAccount = (input: TConnectMessengerRequest): AccountToConnect => ({
  platform: 'messenger',
  externalId: input.pageId,
  name: input.name,
  secrets: {
    appSecret: input.appSecret,
    accessToken: input.pageAccessToken,
    verifyToken: input.verifyToken,
  },
})

/** The OA with the tokens of its OAuth v4 grant (typed in, or from the "connect with Zalo" flow). */
export const zaloAccount = (input: TConnectZaloRequest): AccountToConnect => ({
  platform: 'zalo',
  externalId: input.oaId,
  appId: input.appId,
  name: input.name,
  secrets: {
    appSecret: input.appSecret,
    oaSecret: input.oaSecret,
    accessToken: input.accessToken,
    refreshToken: input.refreshToken,
  },
  tokenExpiresAt: new Date(Date.now() + input.expiresIn * 1000),
})

/** The unit, when the actor may manage its channels (404 to the signed-out, 403 to other staff). */
export async function managedUnit(db: DbOrTx, actor: Actor | null, unitId: string) {
  const unit = await conversationRepository.unit(db, unitId)
  if (!unit) throw notFound()
  if (!messagingPolicy.can(actor, 'manageChannels', unit)) throw actor ? forbidden() : notFound()
  return unit
}

/** A unit's commanders (and admins) connect the unit's Page and OA; the secrets are sealed at once. */
export const channelAccounts = {
  async list(db: DbOrTx, actor: Actor | null, unitId: string) {
    await managedUnit(db, actor, unitId)
    return channelRepository.accountsOfUnit(db, unitId)
  },

  /**
   * Connects (or reconnects) a Page or OA, audited. `onSaved` runs in the same transaction: the Zalo
   * token refresh is scheduled exactly when the account is saved.
   */
  async connect(
    db: DbOrTx,
    key: Buffer,
    ctx: AuditContext,
    actor: Actor,
    unitId: string,
    input: AccountToConnect,
    onSaved?: (tx: DbOrTx, row: ChannelAccountRow) => Promise<void>,
  ) {
    const unit = await managedUnit(db, actor, unitId)
    return db.transaction(async (tx) => {
      const row = await channelRepository.upsertAccount(tx, {
        unitId,
        platform: input.platform,
        externalId: input.externalId,
        ...(input.appId !== undefined ? { appId: input.appId } : {}),
        name: input.name,
        secrets: sealSecret(key, input.secrets),
        ...(input.tokenExpiresAt ? { tokenExpiresAt: input.tokenExpiresAt } : {}),
        createdBy: actor.userId,
      })
      if (onSaved) await onSaved(tx, row)
      await audit.record(tx, ctx, {
        action: 'channel.connect',
        entityType: 'channel_account',
        entityId: row.id,
        unitId,
        unitPath: unit.path,
        details: { platform: input.platform, externalId: input.externalId },
      })
      return row
    })
  },

  /**
   * Disconnects: the account is disabled (webhooks are then acknowledged and dropped, replies fail as
   * "not connected", the token is no longer refreshed); its contacts and conversations stay.
   */
  async disconnect(db: DbOrTx, ctx: AuditContext, actor: Actor, unitId: string, accountId: string) {
    const unit = await managedUnit(db, actor, unitId)
    const existing = await channelRepository.account(db, accountId)
    if (!existing || existing.unitId !== unitId) throw notFound()
    return db.transaction(async (tx) => {
      await channelRepository.updateAccount(tx, accountId, { status: 'disabled', updatedAt: new Date() })
      await audit.record(tx, ctx, {
        action: 'channel.disconnect',
        entityType: 'channel_account',
        entityId: accountId,
        unitId,
        unitPath: unit.path,
        details: { platform: existing.platform, externalId: existing.externalId },
      })
      return (await channelRepository.account(tx, accountId))!
    })
  },
}

/** A Zalo OA's token is refreshed by a job scheduled in the connect transaction; a Page token is long-lived. */
export const refreshAfterSave = (gateway: ChannelGateway, platform: TChannelPlatform) =>
  platform === 'zalo'
    ? (tx: DbOrTx, saved: ChannelAccountRow) => gateway.scheduleRefresh(saved.id, saved.tokenExpiresAt!, tx)
    : undefined
