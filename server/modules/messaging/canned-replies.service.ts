import type {
  TCannedRepliesList,
  TCannedReplyItem,
  TCreateCannedReplyRequest,
  TUpdateCannedReplyRequest,
} from '@common/schemas/messaging'
import type { DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { AppError, forbidden, invalidField, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { type CannedReplyRecord, cannedColumns, cannedReplyRepository } from './canned-reply.repository'
import { conversationRepository, type LoadedConversation } from './conversation.repository'
import { type CannedReplyResource, messagingPolicy } from './messaging.policy'
import { presentCannedForConversation, presentCannedReply } from './messaging.presenter'

/** Fills a canned reply's variables. */
export const fillTemplate = (body: string, vars: { resident_name: string; officer_name: string }) =>
  body.replace(/\{(resident_name|officer_name)\}/g, (_, k: keyof typeof vars) => vars[k])

const resourceOf = (r: CannedReplyRecord): CannedReplyResource => ({
  unitPath: r.unit_path,
  shared: r.shared,
  authorId: r.created_by,
})

/** What the caller may do next with a reply they can read. */
function actionsOn(actor: Actor, r: CannedReplyRecord): TCannedReplyItem['can'] {
  const res = resourceOf(r)
  const can: TCannedReplyItem['can'] = []
  if (messagingPolicy.can(actor, 'changeCanned', res)) can.push('edit', 'delete')
  // Sharing (or taking back) is for the unit's commanders, and a personal reply only by its author.
  if (
    messagingPolicy.can(actor, 'shareCanned', { path: r.unit_path }) &&
    (r.shared || r.created_by === actor.userId)
  )
    can.push('share')
  return can
}

const shareRefused = () => forbidden('messaging.canned_share_commanders')

/** A unit named in a request: 400 on the field when it does not exist. */
async function unitOf(db: DbOrTx, id: string) {
  const unit = await cannedReplyRepository.unit(db, id)
  if (!unit) throw invalidField('unitId', 'not_found', 'messaging.unit_not_found')
  return unit
}

/** A reply the caller may read, or 404 (a reply they may not read does not exist for them). */
async function readable(db: DbOrTx, actor: Actor, id: string) {
  const row = await cannedReplyRepository.get(db, id)
  if (!row || !messagingPolicy.can(actor, 'readCanned', resourceOf(row)))
    throw notFound('messaging.canned_not_found')
  return row
}

/**
 * Canned replies (issue 19, point 2). A personal reply is its author's; a shared one reaches every
 * officer working at or below its unit, and only the unit's commanders share, edit or delete it.
 */
export const cannedRepliesService = {
  /** The caller's own replies and the shared ones their units reach, with the units they may file under. */
  async list(db: DbOrTx, actor: Actor): Promise<TCannedRepliesList> {
    messagingPolicy.authorize(actor, 'useInbox')
    const rows = await cannedReplyRepository.list(
      db,
      messagingPolicy.scopes.readCanned(scopeOf(actor), cannedColumns),
    )
    const unitIds = new Set<string>(actor.assignedAreas.map((a) => a.id))
    for (const g of actor.grants)
      if ((g.role === 'officer' || g.role === 'commander') && g.unitId) unitIds.add(g.unitId)
    const units = await cannedReplyRepository.units(db, [...unitIds])
    return {
      replies: rows.map((r) => presentCannedReply(r, { userId: actor.userId, can: actionsOn(actor, r) })),
      units: units.map((u) => ({
        id: u.id,
        name: u.name,
        canShare: messagingPolicy.can(actor, 'shareCanned', u),
      })),
    }
  },

  async get(db: DbOrTx, actor: Actor, id: string): Promise<TCannedReplyItem> {
    messagingPolicy.authorize(actor, 'useInbox')
    const row = await readable(db, actor, id)
    return presentCannedReply(row, { userId: actor.userId, can: actionsOn(actor, row) })
  },

  async create(db: DbOrTx, actor: Actor, input: TCreateCannedReplyRequest): Promise<TCannedReplyItem> {
    messagingPolicy.authorize(actor, 'useInbox')
    const unit = await unitOf(db, input.unitId)
    const shared = input.shared ?? false
    if (shared && !messagingPolicy.can(actor, 'shareCanned', unit)) throw shareRefused()
    if (!shared && !messagingPolicy.can(actor, 'fileCanned', unit))
      throw forbidden('messaging.canned_unit_not_yours')
    const id = await cannedReplyRepository.insert(db, {
      unitId: unit.id,
      title: input.title,
      body: input.body,
      shared,
      createdBy: actor.userId,
    })
    return this.get(db, actor, id)
  },

  /**
   * An edit made from `version`. Moving or sharing follows the same rules as creating there;
   * taking a shared reply back makes it its author's personal reply again.
   */
  async update(
    db: DbOrTx,
    actor: Actor,
    id: string,
    input: TUpdateCannedReplyRequest,
  ): Promise<TCannedReplyItem> {
    messagingPolicy.authorize(actor, 'useInbox')
    const row = await readable(db, actor, id)
    if (!messagingPolicy.can(actor, 'changeCanned', resourceOf(row))) throw shareRefused()
    const unit = input.unitId ? await unitOf(db, input.unitId) : { id: row.unit_id, path: row.unit_path }
    const shared = input.shared ?? row.shared
    if ((shared || row.shared) && (shared !== row.shared || unit.id !== row.unit_id)) {
      if (!messagingPolicy.can(actor, 'shareCanned', unit)) throw shareRefused()
    } else if (!shared && unit.id !== row.unit_id && !messagingPolicy.can(actor, 'fileCanned', unit))
      throw forbidden('messaging.canned_unit_not_yours')
    const applied = await cannedReplyRepository.update(db, id, input.version, {
      ...(input.unitId ? { unitId: unit.id } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.shared !== undefined ? { shared } : {}),
      updatedBy: actor.userId,
    })
    if (!applied) {
      const now = await cannedReplyRepository.get(db, id)
      if (!now) throw notFound('messaging.canned_not_found')
      throw new AppError('conflict', 'messaging.canned_version_conflict', {
        fields: [{ field: 'version', code: 'stale', messageKey: 'messaging.canned_version_conflict' }],
        extra: { currentVersion: now.version },
      })
    }
    // Taken back by a commander who did not write it: the author keeps it, the caller no longer sees it.
    const after = await cannedReplyRepository.get(db, id)
    if (!after || !messagingPolicy.can(actor, 'readCanned', resourceOf(after)))
      return presentCannedReply(row, { userId: actor.userId, can: [] })
    return presentCannedReply(after, { userId: actor.userId, can: actionsOn(actor, after) })
  },

  async delete(db: DbOrTx, actor: Actor, id: string) {
    messagingPolicy.authorize(actor, 'useInbox')
    const row = await readable(db, actor, id)
    if (!messagingPolicy.can(actor, 'changeCanned', resourceOf(row))) throw shareRefused()
    await cannedReplyRepository.softDelete(db, id, actor.userId)
  },

  /** For a conversation's picker: its area's shared replies and the officer's own, variables filled in. */
  async forConversation(db: DbOrTx, actor: Actor, loaded: LoadedConversation) {
    messagingPolicy.authorize(actor, 'work', loaded.resource)
    const c = loaded.conversation
    const resident = c.residentId ? await conversationRepository.userCard(db, c.residentId) : undefined
    const rows = await cannedReplyRepository.forConversation(db, c.areaPath ?? '', actor.userId)
    const vars = { resident_name: resident?.displayName ?? '', officer_name: actor.displayName }
    return rows.map((r) => presentCannedForConversation(r, fillTemplate(r.body, vars)))
  },
}
