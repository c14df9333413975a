import { createHmac, randomInt } from 'node:crypto'
import type { DbOrTx } from '../../../db/client'
import type { Actor } from '../../../lib/actor'
import { AppError, conflict } from '../../../lib/errors'
import { type AuditContext, audit } from '../../audit/audit.service'
import { releaseAttempt, takeAttempt } from '../../auth/attempts.repository'
import { conversationRepository, type LoadedConversation } from '../conversation.repository'
import { messageRepository } from '../message.repository'
import { messagingPolicy } from '../messaging.policy'
import { type ChannelAccountRow, channelRepository, type ExternalContactRow } from './channel.repository'
import { channelLinkRepository as repo } from './channel-link.repository'
import { routeContact } from './contact-routing.service'

/** How long a code works, how many a resident may ask for, how many wrong tries a contact or officer gets. */
export const LINK_CODE_TTL_MS = 15 * 60_000
export const LINK_CODES_PER_HOUR = 5
const WRONG_TRIES = { subject: { max: 5, minutes: 60 } }

/** No 0/O, 1/I: the code is read off a phone screen and typed into Zalo by hand. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const CODE_LENGTH = 6
const PREFIX = 'NC'
const CODE_PATTERN = new RegExp(`^${PREFIX}([${ALPHABET}]{${CODE_LENGTH}})$`)

/** "nc-7k4 qx2" → "7K4QX2" when the whole message is a link code; otherwise null. */
export function linkCodeIn(text: string): string | null {
  const folded = text.toUpperCase().replace(/[\s\-.]/g, '')
  return CODE_PATTERN.exec(folded)?.[1] ?? null
}

const hashOf = (key: Buffer, code: string) => createHmac('sha256', key).update(`link:${code}`).digest('hex')

export type LinkOutcome = 'linked' | 'already_linked' | 'linked_elsewhere' | 'code_invalid' | 'too_many_tries'

export interface LinkResult {
  outcome: LinkOutcome
  contact: ExternalContactRow
  /** The conversations that changed owner or received the contact's messages (to announce after commit). */
  conversationIds: string[]
  /** The contact now has an area it lacked (the resident's own, under this unit). */
  routed: boolean
}

/**
 * Links a Zalo / Messenger contact to a NhipCau resident account with a one-time code the resident
 * shows in the app: the contact's conversations join the resident's (one conversation per area stays
 * the rule), later messages are filed as the resident's, and the audit log records the link.
 */
export const channelLink = {
  /** A fresh code for the signed-in resident; earlier live codes stop working. */
  async issueCode(db: DbOrTx, key: Buffer, actor: Actor) {
    messagingPolicy.authorize(actor, 'linkChannel')
    return db.transaction(async (tx) => {
      // One issuer at a time per resident, so the hourly count holds under parallel requests.
      await repo.lockResident(tx, actor.userId)
      const issued = await repo.countIssuedSince(tx, actor.userId, new Date(Date.now() - 3600_000))
      if (issued >= LINK_CODES_PER_HOUR) throw new AppError('rate_limited', 'channels.link.too_many_codes')
      await repo.expireLive(tx, actor.userId)
      const expiresAt = new Date(Date.now() + LINK_CODE_TTL_MS)
      for (;;) {
        const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
        const hash = hashOf(key, code)
        // A live code with the same hash is astronomically rare; draw again rather than fail.
        if (await repo.codeExists(tx, hash)) continue
        await repo.insertCode(tx, actor.userId, hash, expiresAt)
        return { code: `${PREFIX}-${code}`, expiresAt }
      }
    })
  },

  /** The resident's linked Zalo / Messenger contacts. */
  async listMine(db: DbOrTx, actor: Actor) {
    messagingPolicy.authorize(actor, 'linkChannel')
    return repo.linkedContacts(db, actor.userId)
  },

  /**
   * A code sent in the chat by the contact (inside the inbound processing transaction, the account
   * locked). Wrong codes count against the contact: five an hour.
   */
  async redeemInChat(
    tx: DbOrTx,
    key: Buffer,
    account: ChannelAccountRow,
    contact: ExternalContactRow,
    code: string,
  ): Promise<LinkResult> {
    return redeem(tx, key, contact, code, `contact:${contact.id}`, async (residentId, r) =>
      auditLink(tx, { actor: null, ip: null, userAgent: null }, account, r.contact, residentId, 'chat', r),
    )
  },

  /** The officer types the code the resident reads out to them, in the contact's conversation. */
  async redeemByOfficer(
    db: DbOrTx,
    key: Buffer,
    ctx: AuditContext,
    actor: Actor,
    loaded: LoadedConversation,
    code: string,
  ): Promise<LinkResult> {
    messagingPolicy.authorize(actor, 'work', loaded.resource, { hide: true })
    const { residentId } = loaded.conversation
    const contact = residentId ? await channelRepository.contactByUser(db, residentId) : undefined
    // Only a contact not yet linked: its conversation is held by the stand-in user.
    if (contact?.userId !== residentId) throw conflict('channels.link.not_a_contact')
    const plain = linkCodeIn(code)
    // Refusals are returned from the transaction, not thrown in it: the failed try must stay counted.
    const result = await db.transaction(async (tx) => {
      await channelRepository.lockAccount(tx, contact.accountId)
      const fresh = (await channelRepository.contactById(tx, contact.id))!
      const account = (await channelRepository.account(tx, fresh.accountId))!
      return redeem(tx, key, fresh, plain ?? '', `officer:${actor.userId}`, (rid, r) =>
        auditLink(tx, ctx, account, r.contact, rid, 'officer', r),
      )
    })
    if (result.outcome === 'too_many_tries')
      throw new AppError('rate_limited', 'channels.link.too_many_tries')
    if (result.outcome === 'code_invalid')
      throw new AppError('validation', undefined, {
        fields: [{ field: 'code', code: 'invalid', messageKey: 'channels.link.code_invalid' }],
      })
    if (result.outcome === 'linked_elsewhere') throw conflict('channels.link.linked_elsewhere')
    return result
  },
}

async function redeem(
  tx: DbOrTx,
  key: Buffer,
  contact: ExternalContactRow,
  code: string,
  attemptSubject: string,
  onLinked: (residentId: string, r: LinkResult) => Promise<void>,
): Promise<LinkResult> {
  const unchanged = (outcome: LinkOutcome): LinkResult => ({
    outcome,
    contact,
    conversationIds: [],
    routed: false,
  })
  const slot = await takeAttempt(tx, 'channel_link', attemptSubject, null, WRONG_TRIES)
  if ('refused' in slot) return unchanged('too_many_tries')
  const hash = hashOf(key, code)
  const residentId = code ? await repo.liveCodeOwner(tx, hash) : undefined
  // A wrong or spent code keeps its attempt row: that row is the counted failure.
  if (!residentId) return unchanged('code_invalid')
  await releaseAttempt(tx, slot.id)
  if (contact.residentId === residentId) return unchanged('already_linked')
  // Linked to another account: refused, and the code stays usable for the right contact.
  if (contact.residentId) return unchanged('linked_elsewhere')
  await repo.consume(tx, hash, contact.id)
  const result = await attach(tx, contact, residentId)
  await onLinked(residentId, result)
  return result
}

/** The contact's stand-in conversations become the resident's, or join the one they already have. */
async function attach(tx: DbOrTx, contact: ExternalContactRow, residentId: string): Promise<LinkResult> {
  await repo.setResident(tx, contact.id, residentId)
  let updated: ExternalContactRow = { ...contact, residentId }
  const conversationIds: string[] = []
  await messageRepository.lockStream(tx)
  for (const s of await repo.standInConversations(tx, contact.userId)) {
    const existing = await repo.directConversation(tx, residentId, s.area_id)
    if (existing) {
      await repo.moveInto(tx, s, existing, contact.userId, residentId)
      conversationIds.push(existing.id)
    } else {
      await repo.reown(tx, s.id, contact.userId, residentId)
      conversationIds.push(s.id)
    }
  }
  let routed = false
  if (!contact.areaId) {
    // Not yet routed: the resident's own area, when it is one this account's unit serves.
    const resident = await conversationRepository.userCard(tx, residentId)
    const area = resident?.areaId
      ? await channelRepository.areaUnder(tx, contact.unitId, resident.areaId)
      : undefined
    if (area) {
      const filed = await routeContact(tx, updated, area)
      updated = filed.contact
      conversationIds.push(...filed.conversationIds)
      routed = true
    }
  }
  return { outcome: 'linked', contact: updated, conversationIds, routed }
}

async function auditLink(
  tx: DbOrTx,
  ctx: AuditContext,
  account: ChannelAccountRow,
  contact: ExternalContactRow,
  residentId: string,
  by: 'chat' | 'officer',
  r: LinkResult,
) {
  const area = contact.areaId ? await conversationRepository.unit(tx, contact.areaId) : undefined
  const unit = area ?? (await conversationRepository.unit(tx, account.unitId))
  await audit.record(tx, ctx, {
    action: 'channel.link',
    entityType: 'external_contact',
    entityId: contact.id,
    unitId: unit?.id ?? null,
    unitPath: unit?.path ?? null,
    details: { platform: account.platform, by, residentId, conversations: r.conversationIds.length },
  })
}
