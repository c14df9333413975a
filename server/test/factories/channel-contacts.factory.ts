import type { DbOrTx } from '../../db/client'
import { conversations, externalContacts, users } from '../../db/schema/index'
import { buildZaloAccount, type ChannelAccountRow } from './channels.factory'
import type { UnitRow } from './organisation.factory'
import { nextSeq } from './sequence'
import type { UserRow } from './user.factory'

/**
 * Someone writing from Zalo (or the account's platform) to a unit's OA, routed to `area`, with their
 * stand-in user and their conversation with the area's police. With `area: null` they have not said
 * where they live: the conversation waits in the unit's queue.
 */
export async function buildChannelContact(
  db: DbOrTx,
  key: Buffer,
  input: { area: UnitRow | null; unit: UnitRow; account?: ChannelAccountRow; assignee?: UserRow | null },
) {
  const account = input.account ?? (await buildZaloAccount(db, key, { unit: input.unit })).account
  const platformUserId = `84${Date.now() % 1_000_000_000}${nextSeq()}`
  const displayName = `Zalo …${platformUserId.slice(-4)}`
  const [standIn] = await db.insert(users).values({ kind: 'resident', displayName }).returning()
  const [contact] = await db
    .insert(externalContacts)
    .values({
      accountId: account.id,
      platform: account.platform,
      platformUserId,
      unitId: account.unitId,
      areaId: input.area?.id ?? null,
      userId: standIn!.id,
      displayName,
      lastInboundAt: new Date(),
    })
    .returning()
  const [conversation] = await db
    .insert(conversations)
    .values({
      kind: 'direct',
      residentId: standIn!.id,
      areaId: (input.area ?? input.unit).id,
      areaPath: (input.area ?? input.unit).path,
      assigneeId: input.assignee?.id ?? null,
      channel: account.platform,
    })
    .returning()
  return { account, contact: contact!, standIn: standIn!, conversation: conversation! }
}
