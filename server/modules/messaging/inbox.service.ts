import type { TConversationView } from '@common/schemas/messaging'
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { cannedReplies, messagingSettings } from '../../db/schema/index'
import type { Actor } from '../../lib/actor'
import { forbidden, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { directColumns, inboxOrder, listConversationRows } from './conversation.queries'
import { conversationRepository, type LoadedConversation } from './conversation.repository'
import { messagingPolicy } from './messaging.policy'
import { presentConversation } from './messaging.presenter'

/** Fills a canned reply's variables. */
export const fillTemplate = (body: string, vars: { resident_name: string; officer_name: string }) =>
  body.replace(/\{(resident_name|officer_name)\}/g, (_, k: keyof typeof vars) => vars[k])

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

  /** Canned replies of the units above the conversation's area, with its variables filled in. */
  async cannedFor(db: DbOrTx, actor: Actor, loaded: LoadedConversation) {
    messagingPolicy.authorize(actor, 'work', loaded.resource)
    const c = loaded.conversation
    const resident = c.residentId ? await conversationRepository.userCard(db, c.residentId) : undefined
    const rows = await queryRows<{ id: string; unit_id: string; title: string; body: string }>(
      db,
      sql`select cr.id, cr.unit_id, cr.title, cr.body from canned_replies cr join units u on u.id = cr.unit_id
          where cr.deleted_at is null and ${c.areaPath ?? ''} like u.path || '%' order by cr.title`,
    )
    const vars = { resident_name: resident?.displayName ?? '', officer_name: actor.displayName }
    return rows.map((r) => ({
      id: r.id,
      unitId: r.unit_id,
      title: r.title,
      body: fillTemplate(r.body, vars),
    }))
  },

  async createCanned(db: DbOrTx, actor: Actor, input: { unitId: string; title: string; body: string }) {
    const unit = await conversationRepository.unit(db, input.unitId)
    if (!unit) throw notFound()
    messagingPolicy.authorize(actor, 'manageUnit', unit)
    const [row] = await db
      .insert(cannedReplies)
      .values({ ...input, createdBy: actor.userId })
      .returning()
    return { id: row!.id, unitId: row!.unitId, title: row!.title, body: row!.body }
  },

  async deleteCanned(db: DbOrTx, actor: Actor, id: string) {
    const [row] = await db
      .select()
      .from(cannedReplies)
      .where(and(eq(cannedReplies.id, id), isNull(cannedReplies.deletedAt)))
    const unit = row ? await conversationRepository.unit(db, row.unitId) : undefined
    if (!row || !unit || !messagingPolicy.can(actor, 'manageUnit', unit)) throw notFound()
    await db.update(cannedReplies).set({ deletedAt: new Date() }).where(eq(cannedReplies.id, id))
  },

  /** Colleagues a conversation may be handed to: officers and commanders of the units above its area. */
  async colleagues(db: DbOrTx, actor: Actor, loaded: LoadedConversation) {
    messagingPolicy.authorize(actor, 'work', loaded.resource)
    return queryRows<{ id: string; display_name: string; rank: string | null; title: string | null }>(
      db,
      sql`select distinct s.id, s.display_name, s.rank, s.title from role_grants g
          join units u on u.id = g.unit_id join users s on s.id = g.user_id
          where g.revoked_at is null and g.role in ('officer', 'commander') and s.kind = 'staff'
            and s.deleted_at is null and ${loaded.conversation.areaPath ?? ''} like u.path || '%'
          order by s.display_name`,
    )
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
