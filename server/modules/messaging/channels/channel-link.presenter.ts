import type { TLinkCodeView, TLinkedContactView } from '@common/schemas/channel-links'
import type { channelLinkRepository } from './channel-link.repository'

type LinkedRow = Awaited<ReturnType<typeof channelLinkRepository.linkedContacts>>[number]

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

export const presentLinkCode = (c: { code: string; expiresAt: Date }): TLinkCodeView => ({
  code: c.code,
  expiresAt: c.expiresAt.toISOString(),
})

/** What the resident sees of their own linked contacts: never the platform's user id. */
export const presentLinkedContact = (r: LinkedRow): TLinkedContactView => ({
  id: r.id,
  platform: r.platform,
  displayName: r.display_name,
  accountName: r.account_name,
  areaName: r.area_name,
  linkedAt: iso(r.linked_at),
})
