import type { TChannelPlatform } from '@common/schemas/channels'
import type { DbOrTx } from '../../../db/client'
import type { Actor } from '../../../lib/actor'
import { conflict, invalidField } from '../../../lib/errors'
import { type AuditContext, audit } from '../../audit/audit.service'
import {
  type ConversationRow,
  conversationRepository,
  type LoadedConversation,
} from '../conversation.repository'
import { messageRepository } from '../message.repository'
import type { MessagingDeps } from '../message.service'
import { messagingPolicy } from '../messaging.policy'
import { channelRepository, type ExternalContactRow } from './channel.repository'
import { channelLinkRepository } from './channel-link.repository'

/** Who an outside contact's messages are from: the resident account they linked, else their stand-in user. */
export const authorOf = (contact: ExternalContactRow) => contact.residentId ?? contact.userId

/**
 * A contact whose area is not known yet writes into their unit's queue: a direct conversation held
 * at the unit that connected the Page or OA, with nobody assigned, which the unit's commanders see
 * (the duty queue). It moves to the area once the area is known.
 */
export async function unitQueueConversation(
  tx: DbOrTx,
  contact: ExternalContactRow,
  platform: TChannelPlatform,
): Promise<ConversationRow> {
  const existing = await conversationRepository.findDirect(tx, authorOf(contact), contact.unitId)
  if (existing) return existing
  const unit = (await conversationRepository.unit(tx, contact.unitId))!
  return conversationRepository.insertDirect(tx, {
    residentId: authorOf(contact),
    areaId: unit.id,
    areaPath: unit.path,
    assigneeId: null,
    channel: platform,
  })
}

/**
 * Files the contact under an area of its unit. Their unit-queue conversation goes to the area and
 * its officer, or joins the conversation the author already has with that area (one per area stays
 * the rule). Returns the contact and the conversations to announce after the commit.
 */
export async function routeContact(
  tx: DbOrTx,
  contact: ExternalContactRow,
  area: { id: string; path: string },
): Promise<{ contact: ExternalContactRow; conversationIds: string[] }> {
  const routed = await channelRepository.updateContact(tx, contact.id, { areaId: area.id })
  const author = authorOf(routed)
  const queued = await conversationRepository.findDirect(tx, author, routed.unitId)
  if (!queued) return { contact: routed, conversationIds: [] }
  const existing = await channelLinkRepository.directConversation(tx, author, area.id)
  if (existing) {
    await messageRepository.lockStream(tx)
    const from = { id: queued.id, area_id: queued.areaId!, channel: queued.channel, last_seq: queued.lastSeq }
    await channelLinkRepository.moveInto(tx, from, existing, author, author)
    return { contact: routed, conversationIds: [existing.id] }
  }
  await conversationRepository.update(tx, queued.id, {
    areaId: area.id,
    areaPath: area.path,
    assigneeId: await conversationRepository.responsibleOfficer(tx, area.id),
  })
  return { contact: routed, conversationIds: [queued.id] }
}

/** The unit-queue conversation's contacts (not yet filed under an area) and the areas they may go to. */
async function unroutedOf(db: DbOrTx, loaded: LoadedConversation) {
  const c = loaded.conversation
  if (c.kind !== 'direct' || !c.residentId || !c.areaId || c.channel === 'web') return []
  return channelRepository.unroutedContacts(db, c.residentId, c.areaId)
}

/**
 * The officer files a Zalo / Messenger contact whose area is unknown: the conversation leaves the
 * unit's queue for the chosen area's officer. Audited; the moved conversation is announced.
 */
export const contactArea = {
  /** What the picker offers: the unit's areas, while the contact has none (otherwise an empty list). */
  async options(db: DbOrTx, actor: Actor, loaded: LoadedConversation) {
    messagingPolicy.authorize(actor, 'work', loaded.resource, { hide: true })
    const contacts = await unroutedOf(db, loaded)
    if (!contacts.length) return { needsArea: false, areas: [] }
    const areas = await channelRepository.areasUnder(db, contacts[0]!.unitId)
    return { needsArea: true, areas: areas.map((a) => ({ id: a.id, name: a.name })) }
  },

  async choose(
    deps: MessagingDeps,
    ctx: AuditContext,
    actor: Actor,
    loaded: LoadedConversation,
    areaId: string,
  ): Promise<string> {
    messagingPolicy.authorize(actor, 'work', loaded.resource, { hide: true })
    const { db } = deps
    const conversationIds = await db.transaction(async (tx) => {
      // The accounts' lock first (inbound processing holds it too), then the contacts as they are now.
      for (const c of await unroutedOf(tx, loaded)) await channelRepository.lockAccount(tx, c.accountId)
      const contacts = await unroutedOf(tx, loaded)
      if (!contacts.length) throw conflict('channels.contact.already_routed')
      const area = await channelRepository.areaUnder(tx, contacts[0]!.unitId, areaId)
      if (!area) throw invalidField('areaId', 'invalid', 'channels.contact.area_outside')
      const ids = new Set<string>()
      for (const contact of contacts)
        for (const id of (await routeContact(tx, contact, area)).conversationIds) ids.add(id)
      const unit = await conversationRepository.unit(tx, area.id)
      await audit.record(tx, ctx, {
        action: 'channel.contact_area',
        entityType: 'conversation',
        entityId: loaded.conversation.id,
        unitId: area.id,
        unitPath: unit?.path ?? null,
        details: { areaId: area.id, contacts: contacts.length, into: [...ids] },
      })
      return [...ids]
    })
    for (const id of conversationIds) {
      const conversation = await conversationRepository.get(db, id)
      if (conversation) await deps.events.conversation(conversation)
    }
    return conversationIds[0] ?? loaded.conversation.id
  },
}
