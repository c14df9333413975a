import type { Db } from '../../db/client'
import { stormBatchWindowMs } from '../../db/embedded'
import { KeyBatcher } from '../../lib/key-batcher'
import type { RealtimeHub } from '../../realtime/hub'
import { messagingPolicy } from './messaging.policy'
import { loadRoomConversations, type RoomConversation } from './room-access.repository'
import { syncService } from './sync.service'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const STAFF_SUFFIX = '-staff'

/**
 * The conversation behind a user's room, looked up together with the rooms other sockets ask for
 * at the same moment: one statement per batch and kind of room, not one per subscribe.
 */
function roomLookups(db: Db, by: 'conversation' | 'group') {
  const keyOf = (userId: string, id: string) => `${userId}:${id}`
  const batcher = new KeyBatcher<string, RoomConversation>(
    async (keys) => {
      const asks = keys.map((key) => {
        const [userId, id] = key.split(':') as [string, string]
        return { userId, id }
      })
      const rows = await loadRoomConversations(db, by, asks)
      return new Map(rows.map((r) => [keyOf(r.userId, r.id), r]))
    },
    500,
    stormBatchWindowMs(db),
  )
  return (userId: string, ids: string[]) =>
    Promise.all(ids.map(async (id) => [id, await batcher.load(keyOf(userId, id))] as const))
}

/**
 * Who may listen to `conversation:<id>` (readers; `conversation:<id>-staff` those who work it) and
 * `group:<id>` (readers of the group's conversation), decided with the actor the socket already
 * holds.
 */
export function registerMessagingRooms(hub: RealtimeHub, db: Db): void {
  const conversationsOf = roomLookups(db, 'conversation')
  const groupsOf = roomLookups(db, 'group')

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
    const found = new Map(await conversationsOf(actor.userId, ids))
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
      (await groupsOf(actor.userId, ids))
        .filter(([, c]) => c?.resource.group && messagingPolicy.can(actor, 'read', c.resource))
        .map(([id]) => id),
    )
    return rooms.filter((room) => readable.has(room.slice('group:'.length)))
  })

  // A subscribe that gives the client's cursor is answered with its catch-up (GET /api/sync's, for
  // the socket's actor): after a restart, thousands of clients each spare a request.
  hub.setCatchUpReader((ctx, after) => syncService.since(db, ctx.actor, after))
}
