import type { Db } from '../../db/client'
import type { RealtimeHub } from '../../realtime/hub'
import { messagingPolicy } from './messaging.policy'
import { loadRoomConversations } from './room-access.repository'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const STAFF_SUFFIX = '-staff'

/**
 * Who may listen to `conversation:<id>` (readers; `conversation:<id>-staff` those who work it) and
 * `group:<id>` (readers of the group's conversation). Every room of a kind in one subscribe is
 * decided from one query, with the actor the socket already holds: no query per room.
 */
export function registerMessagingRooms(hub: RealtimeHub, db: Db): void {
  hub.registerRoomsAuthoriser('conversation', async (ctx, rooms) => {
    const actor = ctx.actor
    if (!actor) return []
    const asked = rooms.map((room) => {
      const rest = room.slice('conversation:'.length)
      const staffOnly = rest.endsWith(STAFF_SUFFIX)
      return { room, staffOnly, id: staffOnly ? rest.slice(0, -STAFF_SUFFIX.length) : rest }
    })
    const ids = [...new Set(asked.map((a) => a.id).filter((id) => UUID.test(id)))]
    if (ids.length === 0) return []
    const found = new Map(
      (await loadRoomConversations(db, actor.userId, { conversationIds: ids })).map((c) => [
        c.conversationId,
        c,
      ]),
    )
    return asked
      .filter(({ id, staffOnly }) => {
        const c = found.get(id)
        return !!c && messagingPolicy.can(actor, staffOnly ? 'work' : 'read', c.resource)
      })
      .map((a) => a.room)
  })

  hub.registerRoomsAuthoriser('group', async (ctx, rooms) => {
    const actor = ctx.actor
    if (!actor) return []
    const ids = [...new Set(rooms.map((room) => room.slice('group:'.length)).filter((id) => UUID.test(id)))]
    if (ids.length === 0) return []
    const readable = new Set(
      (await loadRoomConversations(db, actor.userId, { groupIds: ids }))
        .filter((c) => c.resource.group && messagingPolicy.can(actor, 'read', c.resource))
        .map((c) => c.groupId),
    )
    return rooms.filter((room) => readable.has(room.slice('group:'.length)))
  })
}
