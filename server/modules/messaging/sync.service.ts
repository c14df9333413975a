import type { TSyncResponse } from '@common/schemas/messaging'
import type { DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { scopeOf } from '../../lib/scope'
import { messageRepository } from './message.repository'
import { presentMessage } from './messaging.presenter'

export const SYNC_PAGE = 500

export const syncService = {
  /**
   * Everything the caller may read that was written or changed after `after`, in stream order,
   * each message once in its latest state. A client resumes with the cursor of the previous answer.
   */
  async since(db: DbOrTx, actor: Actor, after: number, limit = SYNC_PAGE): Promise<TSyncResponse> {
    const rows = await messageRepository.sync(db, scopeOf(actor), after, limit + 1)
    const hasMore = rows.length > limit
    const page = hasMore ? rows.slice(0, limit) : rows
    const cursor = page.length ? Number(page[page.length - 1]!.position) : after
    return { messages: page.map((m) => presentMessage(m, { canModerate: false })), cursor, hasMore }
  },
}
