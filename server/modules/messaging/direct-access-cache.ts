import type { Db } from '../../db/client'
import type { LoadedConversation } from './conversation.repository'

/** Enough for every direct conversation written to in a busy hour; the oldest go first. */
const MAX_ENTRIES = 10_000

/**
 * Direct conversations as last read by a send, so the next send into one decides on them without
 * reading it again. Only what does not depend on the reader is kept (a direct conversation's rights
 * come from its resident, area and assignee, and the caller's own grants from the session), and an
 * entry never decides alone: every request is still authorised on it, and the write that follows
 * writes only while the conversation still has the same resident, area and assignee
 * (`insertSent`'s `access`). When it does not, the entry is dropped and the send starts over on
 * the conversation read afresh. So a stale entry costs a retry, never a right, and nothing has to
 * invalidate it.
 */
class DirectAccessCache {
  private readonly entries = new Map<string, LoadedConversation>()

  get(id: string): LoadedConversation | undefined {
    const hit = this.entries.get(id)
    if (hit) {
      // Most recently used last: the first key is the one to evict.
      this.entries.delete(id)
      this.entries.set(id, hit)
    }
    return hit
  }

  remember(loaded: LoadedConversation): void {
    if (loaded.conversation.kind !== 'direct') return
    this.entries.delete(loaded.conversation.id)
    this.entries.set(loaded.conversation.id, loaded)
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }

  forget(id: string): void {
    this.entries.delete(id)
  }
}

const caches = new WeakMap<Db, DirectAccessCache>()

/** The cache of one database (tests open many). */
export function directAccessCache(db: Db): DirectAccessCache {
  let cache = caches.get(db)
  if (!cache) {
    cache = new DirectAccessCache()
    caches.set(db, cache)
  }
  return cache
}
