import { randomBytes } from 'node:crypto'
import type { DbOrTx } from '../../db/client'
import { channelAccounts } from '../../db/schema/index'
import { sealSecret } from '../../lib/secret-box'
import { buildWard } from './organisation.factory'
import { nextSeq } from './sequence'

type Unit = { id: string }
export type ChannelAccountRow = typeof channelAccounts.$inferSelect

/** A unit's connected Facebook Page, its secrets sealed with `key` (the app's CHANNEL_SECRET_KEY). */
export async function buildMessengerAccount(
  db: DbOrTx,
  key: Buffer,
  input: {
    unit?: Unit
    pageId?: string
    appSecret?: string
    accessToken?: string
    verifyToken?: string
  } = {},
) {
  const unit = input.unit ?? (await buildWard(db))
  const secrets = {
    appSecret: input.appSecret ?? `app-secret-${randomBytes(8).toString('hex')}`,
    accessToken: input.accessToken ?? `EAAG-page-token-${randomBytes(8).toString('hex')}`,
    verifyToken: input.verifyToken ?? `verify-${randomBytes(6).toString('hex')}`,
  }
  const [row] = await db
    .insert(channelAccounts)
    .values({
      unitId: unit.id,
      platform: 'messenger',
      externalId: input.pageId ?? `1${Date.now()}${nextSeq()}`,
      name: 'Công an phường',
      secrets: sealSecret(key, secrets),
    })
    .returning()
  return { account: row!, secrets }
}

/** A unit's connected Zalo OA, its secrets sealed with `key`; the token expires in a day. */
export async function buildZaloAccount(
  db: DbOrTx,
  key: Buffer,
  input: { unit?: Unit; oaId?: string; appId?: string } = {},
) {
  const unit = input.unit ?? (await buildWard(db))
  const secrets = {
    appSecret: `zalo-app-secret-${randomBytes(6).toString('hex')}`,
    oaSecret: `zalo-oa-secret-${randomBytes(6).toString('hex')}`,
    accessToken: `zat-${randomBytes(8).toString('hex')}`,
    refreshToken: `zrt-${randomBytes(8).toString('hex')}`,
  }
  const [row] = await db
    .insert(channelAccounts)
    .values({
      unitId: unit.id,
      platform: 'zalo',
      externalId: input.oaId ?? `2${Date.now()}${nextSeq()}`,
      appId: input.appId ?? `3${Date.now()}${nextSeq()}`,
      name: 'Công an phường',
      secrets: sealSecret(key, secrets),
      tokenExpiresAt: new Date(Date.now() + 24 * 3600_000),
    })
    .returning()
  return { account: row!, secrets }
}
