import { definePersonalData } from '../account/account-data.registry'
import { pushPersonalDataRepository as repo } from './personal-data.repository'

/** Web Push subscriptions: one per browser that allowed notifications. */
export const notificationsPersonalData = definePersonalData({
  name: 'push_subscriptions',
  fields: [
    {
      table: 'push_subscriptions',
      columns: ['endpoint', 'p256dh', 'auth', 'user_agent'],
      purpose: 'Sending notifications to the person’s browsers',
      readers: 'Nobody (used by the server only)',
      retention: 'Until unsubscribed, refused by the push service, or the account is deleted',
      legalBasis: 'Consent (the browser’s permission)',
      onErase: 'Deleted with every push job addressed to them',
    },
    {
      table: 'jobs (push.deliver)',
      columns: ['payload'],
      purpose: 'Queued notifications (a 140-character preview of a message)',
      readers: 'Nobody (used by the server only)',
      retention: 'Done jobs 7 days (retention job)',
      legalBasis: 'Performance of the service',
      onErase: 'Deleted',
    },
  ],

  async export(db, userId) {
    return {
      data: (await repo.subscriptions(db, userId)).map((s) => ({
        id: s.id,
        // The push service's host says which browser vendor; the rest is a capability token.
        service: new URL(s.endpoint).host,
        browser: s.user_agent,
        since: new Date(s.created_at).toISOString(),
      })),
    }
  },

  erase: async (tx, userId) => ({ count: await repo.erase(tx, userId) }),
})
