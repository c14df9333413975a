import type { TSyncResponse } from '@common/schemas/messaging'
import type { Db } from '../../db/client'
import { stormBatchWindowMs } from '../../db/embedded'
import type { Actor } from '../../lib/actor'
import { KeyBatcher } from '../../lib/key-batcher'
import { scopeOf } from '../../lib/scope'
import { type MessageRecord, messageRepository } from './message.repository'
import { readsOnlyOwn } from './messaging.policy'
import { presentMessage } from './messaging.presenter'

export const SYNC_PAGE = 500
/** A catch-up behind the head waits this long (on PostgreSQL) for others to share its statement. */
const OWN_BATCH_WINDOW_MS = 2
/** Catch-ups per statement (each answers at most SYNC_PAGE + 1 rows). */
const OWN_BATCH = 200

const heads = new WeakMap<Db, KeyBatcher<'head', number>>()
const ownCatchUps = new WeakMap<Db, KeyBatcher<string, MessageRecord[]>>()

/**
 * The stream's last position, read for every catch-up of the moment at once. Each caller gets a
 * value read after it asked (a batch never serves a key added while it was being read), so it is
 * as fresh as a read of its own.
 */
function streamHead(db: Db): Promise<number> {
  let batcher = heads.get(db)
  if (!batcher) {
    batcher = new KeyBatcher(
      async () => new Map([['head', await messageRepository.head(db)]]),
      1,
      stormBatchWindowMs(db),
    )
    heads.set(db, batcher)
  }
  return batcher.load('head').then((head) => head ?? 0)
}

/**
 * The catch-up of a reader who reads only their own conversations (`readsOnlyOwn`), read in one
 * statement with those of the other such readers of the moment: after a restart thousands of
 * residents come back behind the head within seconds, and one query each (on PGlite one after
 * another on its one connection; on PostgreSQL queued for the pool, where a subscribe's room check
 * then waited past the pool's timeout) was what they waited for. Like the head, each caller gets
 * rows read after it asked.
 */
function ownCatchUp(db: Db, userId: string, after: number, limit: number): Promise<MessageRecord[]> {
  let batcher = ownCatchUps.get(db)
  if (!batcher) {
    batcher = new KeyBatcher(
      async (keys) => {
        const asks = keys.map((key) => {
          const [userId, after, limit] = key.split(':') as [string, string, string]
          return { userId, after: Number(after), limit: Number(limit) }
        })
        const answers = await messageRepository.syncOwn(db, asks)
        return new Map(keys.map((key, i) => [key, answers[i]!]))
      },
      OWN_BATCH,
      stormBatchWindowMs(db, OWN_BATCH_WINDOW_MS),
    )
    ownCatchUps.set(db, batcher)
  }
  return batcher.load(`${userId}:${after}:${limit}`).then((rows) => rows ?? [])
}

export const syncService = {
  /** The cursor a client starts from: everything after it is new to it. */
  cursor: (db: Db): Promise<number> => streamHead(db),

  /**
   * Everything the caller may read that was written or changed after `after`, in stream order,
   * each message once in its latest state. A client resumes with the cursor of the previous answer.
   * A client already at the head (most of those coming back after a restart) is answered from the
   * shared read of the head, without the query of what it may read: planning that query costs
   * more than running it.
   */
  async since(db: Db, actor: Actor, after: number, limit = SYNC_PAGE): Promise<TSyncResponse> {
    const head = await streamHead(db)
    if (after >= head) return { messages: [], cursor: after, hasMore: false }
    const scope = scopeOf(actor)
    const rows = readsOnlyOwn(scope)
      ? await ownCatchUp(db, actor.userId, after, limit + 1)
      : await messageRepository.sync(db, scope, after, limit + 1)
    const hasMore = rows.length > limit
    const page = hasMore ? rows.slice(0, limit) : rows
    const cursor = page.length ? Number(page[page.length - 1]!.position) : after
    return { messages: page.map((m) => presentMessage(m, { canModerate: false })), cursor, hasMore }
  },
}
