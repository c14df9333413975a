import { z } from 'zod'
import { ZAlertReceiptsRequest } from './schemas/alerts'
import { type TSyncResponse, ZMessageView } from './schemas/messaging'

/**
 * The real-time event union. Every event names the rooms it goes to; the hub delivers it to
 * sockets subscribed to any of them. Payloads carry ids and small facts: clients fetch details
 * through the API (write first, publish ids, resync on reconnect).
 */
export const roomPattern = /^(user|unit|area|group|conversation|alert|case|register|scam|system):[\w-]{1,80}$/
export const ZRoom = z.string().regex(roomPattern)
export type Room =
  `${'user' | 'unit' | 'area' | 'group' | 'conversation' | 'alert' | 'case' | 'register' | 'scam' | 'system'}:${string}`

const base = { rooms: z.array(ZRoom).min(1), at: z.string() }

export const ZSystemPingEvent = z.object({ ...base, type: z.literal('system.ping'), message: z.string() })

// Messaging: message events carry the message's global stream position (the client's resume cursor).
export const ZMessageCreatedEvent = z.object({
  ...base,
  type: z.literal('message.created'),
  conversationId: z.uuid(),
  position: z.number().int(),
  message: ZMessageView,
})
export const ZMessageUpdatedEvent = z.object({
  ...base,
  type: z.literal('message.updated'),
  conversationId: z.uuid(),
  position: z.number().int(),
  message: ZMessageView,
})
export const ZConversationReadEvent = z.object({
  ...base,
  type: z.literal('conversation.read'),
  conversationId: z.uuid(),
  userId: z.uuid(),
  lastReadSeq: z.number().int(),
  lastDeliveredSeq: z.number().int(),
})
export const ZConversationUpdatedEvent = z.object({
  ...base,
  type: z.literal('conversation.updated'),
  conversationId: z.uuid(),
  status: z.string(),
  assigneeId: z.uuid().nullable(),
})
export const ZGroupMemberChangedEvent = z.object({
  ...base,
  type: z.literal('group.member_changed'),
  groupId: z.uuid(),
  userId: z.uuid(),
  status: z.string(),
  role: z.string(),
})
/** Emitted by the organisation module when an area's responsible officer changes. */
export const ZAreaOfficerChangedEvent = z.object({
  ...base,
  type: z.literal('area.officer_changed'),
  areaId: z.uuid(),
  officerId: z.uuid().nullable(),
  previousOfficerId: z.uuid().nullable(),
})

// Alerts: ids and the few facts a banner needs; details come from GET /api/alerts/:id.
const alertFacts = {
  alertId: z.uuid(),
  version: z.number().int(),
  kind: z.string(),
  severity: z.string(),
  headline: z.string(),
  state: z.string(),
}
export const ZAlertPublishedEvent = z.object({ ...base, type: z.literal('alert.published'), ...alertFacts })
/** An Update or Cancel of a published alert (a closing update too: state "closed"). */
export const ZAlertChangedEvent = z.object({
  ...base,
  type: z.literal('alert.changed'),
  ...alertFacts,
  msgType: z.enum(['Update', 'Cancel']),
})
export const ZAlertAnsweredEvent = z.object({
  ...base,
  type: z.literal('alert.answered'),
  alertId: z.uuid(),
  answerId: z.uuid(),
  answers: z.number().int(),
})
/** Reach counters for staff watching an alert (room alert:<id>). */
export const ZAlertStatsEvent = z.object({
  ...base,
  type: z.literal('alert.stats'),
  alertId: z.uuid(),
  targeted: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  shared: z.number().int(),
  answers: z.number().int(),
})
/** A wide alert waits for a commander (room unit:<issuing unit>). */
export const ZAlertApprovalEvent = z.object({
  ...base,
  type: z.literal('alert.approval'),
  alertId: z.uuid(),
  state: z.string(),
})

// Tips and cases: ids and status only; clients fetch the record (a tipster's identity never travels).
export const ZTipChangedEvent = z.object({
  ...base,
  type: z.literal('tip.changed'),
  tipId: z.uuid(),
  status: z.string(),
})
export const ZCaseChangedEvent = z.object({
  ...base,
  type: z.literal('case.changed'),
  caseId: z.uuid(),
  status: z.string(),
})
export const ZHelpRequestChangedEvent = z.object({
  ...base,
  type: z.literal('help_request.changed'),
  helpRequestId: z.uuid(),
  status: z.string(),
})

// Movements of residents: ids and status only, to the reporter and to register:<unit> rooms (the
// area and every unit above it), which only staff who may read that register can join.
export const ZResidenceReportChangedEvent = z.object({
  ...base,
  type: z.literal('residence_report.changed'),
  reportId: z.uuid(),
  areaId: z.uuid(),
  status: z.string(),
})

// A scam report was sent or decided: to its reporter and to the `scam:<unit>` rooms of the
// reporter's area and every unit above it (staff who may verify it join those).
export const ZScamReportChangedEvent = z.object({
  ...base,
  type: z.literal('scam_report.changed'),
  reportId: z.uuid(),
  status: z.string(),
})

/** A group question for the police was asked or answered: to the staff over the group's unit. */
export const ZGroupQuestionChangedEvent = z.object({
  ...base,
  type: z.literal('group_question.changed'),
  questionId: z.uuid(),
  groupId: z.uuid(),
  answered: z.boolean(),
})

export const ZRealtimeEvent = z.discriminatedUnion('type', [
  ZGroupQuestionChangedEvent,
  ZScamReportChangedEvent,
  ZSystemPingEvent,
  ZMessageCreatedEvent,
  ZMessageUpdatedEvent,
  ZConversationReadEvent,
  ZConversationUpdatedEvent,
  ZGroupMemberChangedEvent,
  ZAreaOfficerChangedEvent,
  ZAlertPublishedEvent,
  ZAlertChangedEvent,
  ZAlertAnsweredEvent,
  ZAlertStatsEvent,
  ZAlertApprovalEvent,
  ZTipChangedEvent,
  ZCaseChangedEvent,
  ZHelpRequestChangedEvent,
  ZResidenceReportChangedEvent,
])
export type TRealtimeEvent = z.infer<typeof ZRealtimeEvent>
export type TRealtimeEventType = TRealtimeEvent['type']

/** Messages a client sends over the socket. */
export const ZClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    rooms: z.array(ZRoom).min(1).max(200),
    // The client's message cursor (GET /api/sync's): the answer carries the catch-up after it, read
    // once the rooms are joined, so a reconnect costs no catch-up request of its own.
    after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  }),
  z.object({ type: z.literal('unsubscribe'), rooms: z.array(ZRoom).min(1).max(200) }),
  z.object({ type: z.literal('ping') }),
  // A device's alert receipts on the socket it already has: thousands of phones confirming an alert
  // within a second cost no HTTP request each. Not answered: a lost receipt only means a push the
  // device did not need (as over HTTP).
  z.object({ type: z.literal('alert_receipts'), receipts: ZAlertReceiptsRequest.shape.receipts }),
])
export type TClientMessage = z.infer<typeof ZClientMessage>

/**
 * Messages the server sends over the socket. `subscribed`: the rooms joined and those denied; a
 * room whose check failed (the database busy) is in neither and is checked again, and another
 * `subscribed` follows (a client catches up on each). The answer to a subscribe that gave `after`
 * has `sync`: what GET /api/sync?after= would answer, read after the rooms were joined, or null when
 * it could not be read (the client then asks over HTTP). `evicted`: the user may no longer read these
 * rooms (removed from a group, reassigned, moved to another area); the client must not re-subscribe.
 */
export type TServerMessage =
  | { type: 'hello'; connectionId: string }
  | { type: 'subscribed'; rooms: string[]; denied: string[]; sync?: TSyncResponse | null }
  | { type: 'evicted'; rooms: string[] }
  | { type: 'event'; event: TRealtimeEvent }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string }

/** WebSocket close codes the server uses; the client reacts to them. */
export const CLOSE_CODES = {
  /** Shutdown: reconnect (to another instance, or later). */
  goingAway: 1001,
  /** The session was signed out, revoked, expired or the account deleted: the page must sign in again. */
  sessionEnded: 4401,
} as const
