import type { TSyncResponse } from '@common/schemas/messaging'
import type { DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { directPaths } from './inbox.service'
import { messageRepository } from './message.repository'
import { presentMessage } from './messaging.presenter'

export const SYNC_PAGE = 500

/** Group scopes: staff over a unit's groups, and residents holding a moderator grant over it. */
function groupPaths(actor: Actor): string[] {
  const grants = actor.grants.filter(
    (g) =>
      g.unitPath &&
      (g.role === 'moderator' ||
        (actor.kind === 'staff' && (g.role === 'officer' || g.role === 'commander'))),
  )
  return [
    ...(actor.kind === 'staff' ? actor.assignedAreas.map((a) => a.path) : []),
    ...grants.map((g) => g.unitPath!),
  ]
}

export const syncService = {
  /**
   * Everything the caller may read that was written or changed after `after`, in stream order,
   * each message once in its latest state. A client resumes with the cursor of the previous answer.
   */
  async since(db: DbOrTx, actor: Actor, after: number, limit = SYNC_PAGE): Promise<TSyncResponse> {
    const rows = await messageRepository.sync(
      db,
      {
        userId: actor.userId,
        isStaff: actor.kind === 'staff',
        directPaths: directPaths(actor),
        groupPaths: groupPaths(actor),
      },
      after,
      limit + 1,
    )
    const hasMore = rows.length > limit
    const page = hasMore ? rows.slice(0, limit) : rows
    const cursor = page.length ? Number(page[page.length - 1]!.position) : after
    return { messages: page.map((m) => presentMessage(m, { canModerate: false })), cursor, hasMore }
  },
}
