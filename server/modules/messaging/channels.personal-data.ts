import { definePersonalData } from '../account/account-data.registry'
import {
  channelLinkRepository,
  channelPersonalDataRepository as repo,
} from './channels/channel-link.repository'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

/**
 * Zalo and Messenger contacts linked to the resident's account. Their messages were filed as the
 * resident's when linked (messaging.json holds them and erases them); this module holds the contacts.
 */
export const channelsPersonalData = definePersonalData({
  name: 'channels',
  fields: [
    {
      table: 'external_contacts',
      columns: ['platform_user_id', 'display_name', 'area_id', 'resident_id'],
      purpose:
        'Who writes from Zalo or Messenger, routed to the area officer; linked to an account by a code',
      readers: "The resident (own links); the area's officer and commanders above see the conversation",
      retention: 'While the account exists; unlinked contacts as their conversation (24 months)',
      legalBasis: 'Consent: the person wrote to the unit and sent the link code (Decree 13/2023 art. 11)',
      onErase:
        'Name, area and platform id emptied; the link removed (a later message from that chat starts a new, unlinked contact)',
    },
    {
      table: 'inbound_events',
      columns: ['event'],
      purpose: 'Each Zalo / Messenger webhook event as received (stored before the answer, so none is lost)',
      readers: 'Nobody (used by the server only)',
      retention: 'As the conversation',
      legalBasis: 'Performance of the service',
      onErase: "Deleted for the resident's linked contacts",
    },
    {
      table: 'channel_link_codes',
      columns: ['resident_id', 'code_hash'],
      purpose: 'One-time link codes (only an HMAC is kept; 15 minutes, single use)',
      readers: 'Nobody (used by the server only)',
      retention: 'While the account exists',
      legalBasis: 'Performance of the service',
      onErase: 'Deleted',
    },
  ],

  async export(db, userId) {
    const [contacts, codes] = await Promise.all([
      channelLinkRepository.linkedContacts(db, userId),
      repo.codes(db, userId),
    ])
    return {
      data: {
        linkedContacts: contacts.map((c) => ({
          platform: c.platform,
          displayName: c.display_name,
          account: c.account_name,
          area: c.area_name,
          firstMessageAt: iso(c.created_at),
          linkedAt: iso(c.linked_at),
        })),
        linkCodes: codes.map((k) => ({
          createdAt: iso(k.createdAt),
          expiresAt: iso(k.expiresAt),
          usedAt: iso(k.consumedAt),
        })),
      },
    }
  },

  async erase(tx, userId) {
    return { count: await repo.eraseContacts(tx, userId) }
  },
})
