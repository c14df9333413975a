import type { TConversationView } from '@common/schemas/messaging'
import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { messagingSettings } from '../../db/schema/index'
import type { Actor } from '../../lib/actor'
import { forbidden, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { unitStaffService } from '../organisation/unit-staff.service'
import { directColumns, inboxOrder, listConversationRows } from './conversation.queries'
import { conversationRepository, type LoadedConversation } from './conversation.repository'
import { messagingPolicy } from './messaging.policy'
import { presentConversation } from './messaging.presenter'

export const inboxService = {
  /**
   * The officer's queue: direct conversations of their areas (commanders: their subtree, including
   * the duty queue of conversations nobody is assigned to), overdue first. `q` searches message text
   * and the resident's name with or without diacritics.
   */
  async list(
    db: DbOrTx,
    actor: Actor,
    o: { filter: 'mine' | 'all' | 'unassigned' | 'resolved'; q?: string | undefined },
  ): Promise<TConversationView[]> {
    messagingPolicy.authorize(actor, 'useInbox')
    const scope = sql`c.kind = 'direct' and ${messagingPolicy.scopes.readDirect(scopeOf(actor), directColumns)}`
    const filter = {
      mine: sql`c.assignee_id = ${actor.userId} and c.status <> 'resolved'`,
      all: sql`c.status <> 'resolved'`,
      unassigned: sql`c.assignee_id is null and c.status <> 'resolved'`,
      resolved: sql`c.status = 'resolved'`,
    }[o.filter]
    const q = o.q?.trim()
    const search = q
      ? sql`and (exists (select 1 from messages sm where sm.conversation_id = c.id and sm.deleted_at is null
              and lower(f_unaccent(sm.body)) like '%' || lower(f_unaccent(${q})) || '%')
            or lower(f_unaccent(r.display_name)) like '%' || lower(f_unaccent(${q})) || '%')`
      : sql``
    const rows = await listConversationRows(
      db,
      { userId: actor.userId, isStaff: true },
      sql`${scope} and ${filter} ${search}`,
      o.filter === 'resolved' ? sql`c.resolved_at desc nulls last` : inboxOrder,
    )
    // Everything in the queue is in the officer's scope: they read, answer and work it.
    return rows.map((r) => presentConversation(r, ['read', 'post', 'work']))
  },

  /** Colleagues a conversation may be handed to: officers and commanders of the units above its area. */
  async colleagues(db: DbOrTx, actor: Actor, loaded: LoadedConversation) {
    messagingPolicy.authorize(actor, 'work', loaded.resource)
    return unitStaffService.colleaguesOver(db, loaded.conversation.areaPath ?? '')
  },

  /** The unit's first-response target; commanders set it for their subtree. */
  async setTarget(db: DbOrTx, actor: Actor, unitId: string, minutes: number) {
    const unit = await conversationRepository.unit(db, unitId)
    if (!unit) throw notFound()
    if (!messagingPolicy.can(actor, 'setTargets', unit)) throw actor ? forbidden() : notFound()
    await db
      .insert(messagingSettings)
      .values({ unitId, firstResponseTargetMinutes: minutes })
      .onConflictDoUpdate({ target: messagingSettings.unitId, set: { firstResponseTargetMinutes: minutes } })
    return { unitId, firstResponseTargetMinutes: minutes }
  },
}
