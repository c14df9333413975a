import type { Room, TRealtimeEvent } from '@common/events'
import type { TMessageView } from '@common/schemas/messaging'
import type { DbOrTx } from '../../db/client'
import { accessChanged } from '../../realtime/access-events'
import { type EventBus, publishAfterCommit } from '../../realtime/event-bus'
import { unitStaffService } from '../organisation/unit-staff.service'
import type { ConversationRow } from './conversation.repository'

/** The staff-only room of a direct conversation: internal notes and workflow changes go there. */
export const staffRoom = (conversationId: string): Room => `conversation:${conversationId}-staff`

/**
 * Rooms for a conversation's events. Direct conversations also reach the personal rooms of the
 * resident, the assignee and the commanders above the area, so an inbox updates without subscribing.
 */
export async function roomsFor(
  db: DbOrTx,
  c: ConversationRow,
  opts: { staffOnly: boolean },
): Promise<Room[]> {
  return roomsWith(c, opts, await commandersOf(db, c))
}

const commandersOf = async (db: DbOrTx, c: ConversationRow): Promise<string[]> =>
  c.kind === 'direct' && c.areaPath ? unitStaffService.commandersOver(db, c.areaPath) : []

function roomsWith(c: ConversationRow, opts: { staffOnly: boolean }, commanders: string[]): Room[] {
  if (c.kind === 'group') return [`group:${c.groupId}`]
  const rooms = new Set<Room>([opts.staffOnly ? staffRoom(c.id) : `conversation:${c.id}`, staffRoom(c.id)])
  if (!opts.staffOnly && c.residentId) rooms.add(`user:${c.residentId}`)
  if (c.assigneeId) rooms.add(`user:${c.assigneeId}`)
  for (const id of commanders) rooms.add(`user:${id}`)
  return [...rooms]
}

/** What `roomsFor` needs from the database for one conversation, read once for a send's events (by its write). */
export interface SendRooms {
  commanders: string[]
}

/** Publishes messaging events; called only after the transaction that wrote them has committed. */
export class MessagingEvents {
  constructor(
    private readonly db: DbOrTx,
    private readonly bus: EventBus,
  ) {}

  private publish(event: TRealtimeEvent): Promise<void> {
    return publishAfterCommit(this.bus, event)
  }

  async message(type: 'message.created' | 'message.updated', c: ConversationRow, message: TMessageView) {
    const rooms = await roomsFor(this.db, c, { staffOnly: message.isInternal })
    await this.publish({
      type,
      rooms,
      at: new Date().toISOString(),
      conversationId: c.id,
      position: message.position,
      message,
    })
  }

  /** A new message, and in a direct conversation its workflow (who waits now): one lookup of rooms. */
  async sent(rooms: SendRooms, c: ConversationRow, message: TMessageView) {
    const at = new Date().toISOString()
    await this.publish({
      type: 'message.created',
      rooms: roomsWith(c, { staffOnly: message.isInternal }, rooms.commanders),
      at,
      conversationId: c.id,
      position: message.position,
      message,
    })
    if (c.kind !== 'direct') return
    await this.publish({
      type: 'conversation.updated',
      rooms: roomsWith(c, { staffOnly: false }, rooms.commanders),
      at,
      conversationId: c.id,
      status: c.status,
      assigneeId: c.assigneeId,
    })
  }

  async read(c: ConversationRow, userId: string, lastReadSeq: number, lastDeliveredSeq: number) {
    const rooms = await roomsFor(this.db, c, { staffOnly: false })
    await this.publish({
      type: 'conversation.read',
      rooms,
      at: new Date().toISOString(),
      conversationId: c.id,
      userId,
      lastReadSeq,
      lastDeliveredSeq,
    })
  }

  async conversation(c: ConversationRow, extraUserIds: string[] = []) {
    const rooms = await roomsFor(this.db, c, { staffOnly: false })
    for (const id of extraUserIds) if (!rooms.includes(`user:${id}`)) rooms.push(`user:${id}`)
    await this.publish({
      type: 'conversation.updated',
      rooms,
      at: new Date().toISOString(),
      conversationId: c.id,
      status: c.status,
      assigneeId: c.assigneeId,
    })
  }

  /** A group question for the police asked or answered: to every staff member over the group's unit. */
  async groupQuestion(q: { id: string; groupId: string; unitPath: string; answered: boolean }) {
    const staff = await unitStaffService.colleaguesOver(this.db, q.unitPath)
    if (staff.length === 0) return
    await this.publish({
      type: 'group_question.changed',
      rooms: staff.map((s): Room => `user:${s.id}`),
      at: new Date().toISOString(),
      questionId: q.id,
      groupId: q.groupId,
      answered: q.answered,
    })
  }

  /** Every instance re-checks these users' rooms (a removal, a hand-over). */
  accessChanged(userIds: string[]): Promise<void> {
    return publishAfterCommit(this.bus, accessChanged(userIds))
  }

  async member(groupId: string, userId: string, status: string, role: string) {
    // Removed, left or demoted to pending: the member's sockets leave the group's rooms first.
    await this.accessChanged([userId])
    await this.publish({
      type: 'group.member_changed',
      rooms: [`group:${groupId}`, `user:${userId}`],
      at: new Date().toISOString(),
      groupId,
      userId,
      status,
      role,
    })
  }
}
