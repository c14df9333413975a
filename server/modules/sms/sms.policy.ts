import { type Actor, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import { commandsPath } from '../../lib/scope'
import { type ConversationResource, messagingPolicy } from '../messaging/messaging.policy'

/** Who may spend a unit's SMS budget, and who sets it. */
export const smsPolicy = definePolicy({
  /** Answer a resident by SMS: whoever works the conversation (the area's police). */
  answer: (a: Actor | null, c: ConversationResource) => messagingPolicy.can(a, 'work', c),
  /** Set the monthly budget and the alert kinds sent by SMS: the unit's commanders, admins. */
  manageSettings: (a: Actor | null, unit: { path: string }) =>
    isAdmin(a) || (a?.kind === 'staff' && commandsPath(a, unit.path)),
})
