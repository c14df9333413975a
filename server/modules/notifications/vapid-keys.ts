import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { appSettings } from '../../db/schema/index'

export interface VapidKeys {
  publicKey: string
  privateKey: string
}

const KEY = 'vapid_keys'

/**
 * VAPID keys are generated once and kept in the database, so every instance signs with the same
 * key and browsers' subscriptions stay valid across restarts. The first writer wins a race.
 */
export async function getOrCreateVapidKeys(db: DbOrTx): Promise<VapidKeys> {
  const existing = await db.select().from(appSettings).where(eq(appSettings.key, KEY))
  if (existing[0]) return existing[0].value as VapidKeys
  // Only the first start of a deployment generates keys: web-push is not loaded at every start.
  const { default: webPush } = await import('web-push')
  const generated = webPush.generateVAPIDKeys()
  await db.insert(appSettings).values({ key: KEY, value: generated }).onConflictDoNothing()
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, KEY))
  return row!.value as VapidKeys
}
