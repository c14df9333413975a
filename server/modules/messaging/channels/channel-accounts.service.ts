import type {
  TChannelAccountView,
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

async function managedUnit(db: DbOrTx, actor: Actor | null, unitId: string) {
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

  async connectMessenger(
    db: DbOrTx,
    key: Buffer,
    ctx: AuditContext,
    actor: Actor,
    unitId: string,
    input: TConnectMessengerRequest,
  ) {
    const unit = await managedUnit(db, actor, unitId)
    const secrets: AccountSecrets = {
      appSecret: input.appSecret,
      accessToken: input.pageAccessToken,
      verifyToken: input.verifyToken,
    }
    return db.transaction(async (tx) => {
      const row = await channelRepository.upsertAccount(tx, {
        unitId,
        platform: 'messenger',
        externalId: input.pageId,
        name: input.name,
        secrets: sealSecret(key, secrets),
        createdBy: actor.userId,
      })
      await audit.record(tx, ctx, {
        action: 'channel.connect',
        entityType: 'channel_account',
        entityId: row.id,
        unitId,
        unitPath: unit.path,
        details: { platform: 'messenger', pageId: input.pageId },
      })
      return row
    })
  },

  /** Connects the OA; the caller schedules the token refresh in the same transaction (`onSaved`). */
  async connectZalo(
    db: DbOrTx,
    key: Buffer,
    ctx: AuditContext,
    actor: Actor,
    unitId: string,
    input: TConnectZaloRequest,
    onSaved: (tx: DbOrTx, row: ChannelAccountRow) => Promise<void>,
  ) {
    const unit = await managedUnit(db, actor, unitId)
    const secrets: AccountSecrets = {
      appSecret: input.appSecret,
      oaSecret: input.oaSecret,
      accessToken: input.accessToken,
      refreshToken: input.refreshToken,
    }
    return db.transaction(async (tx) => {
      const row = await channelRepository.upsertAccount(tx, {
        unitId,
        platform: 'zalo',
        externalId: input.oaId,
        appId: input.appId,
        name: input.name,
        secrets: sealSecret(key, secrets),
        tokenExpiresAt: new Date(Date.now() + input.expiresIn * 1000),
        createdBy: actor.userId,
      })
      await onSaved(tx, row)
      await audit.record(tx, ctx, {
        action: 'channel.connect',
        entityType: 'channel_account',
        entityId: row.id,
        unitId,
        unitPath: unit.path,
        details: { platform: 'zalo', oaId: input.oaId },
      })
      return row
    })
  },
}
