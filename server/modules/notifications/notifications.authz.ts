import { defineAuthz, roleSets } from '../../test/authz-types'
import { makeDeviceKeys } from '../../test/fakes/fake-push-service'

const subscription = () => ({
  endpoint: `https://push.example.invalid/${crypto.randomUUID()}`,
  keys: makeDeviceKeys().subscriptionKeys,
})

/** Anyone may read the VAPID public key; only a signed-in user manages their own subscriptions. */
export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/push/public-key', allow: roleSets.everyone },
  {
    method: 'POST',
    route: '/api/push/subscriptions',
    allow: roleSets.signedIn,
    request: () => ({ payload: subscription() }),
  },
  {
    method: 'DELETE',
    route: '/api/push/subscriptions',
    allow: roleSets.signedIn,
    request: () => ({ payload: { endpoint: subscription().endpoint } }),
  },
])
