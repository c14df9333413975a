import type { Pool, PoolClient } from 'pg'

/** How long closing waits for checked-out clients before it discards them. */
export const CLOSE_GRACE_MS = 5_000

export interface GuardedPool {
  /** Ends the pool; a client still checked out after `graceMs` is discarded instead of awaited. */
  end(graceMs?: number): Promise<void>
}

/**
 * drizzle's node-postgres `transaction()` checks a client out and sends BEGIN before its
 * try/finally: when the connection dies between checkout and BEGIN (a database restart, a network
 * cut), BEGIN fails and the client is never released. The pool keeps counting it, so every cut
 * leaks a slot until all requests wait for a connection (503 for good), and `pool.end()` never
 * returns. Here a checked-out client whose connection fails is released (and so discarded) at
 * once; its borrower's own release later is a no-op. A connection that cannot be made is reported
 * to `onConnectFailed` (the pool emits no event for it).
 */
export function guardCheckouts(pool: Pool, onConnectFailed: (err: Error) => void = () => {}): GuardedPool {
  const checkedOut = new Set<PoolClient>()
  const guard = (client: PoolClient): PoolClient => {
    const release = client.release
    let released = false
    const onError = (err: Error) => free(err)
    const free = (err?: Error | boolean) => {
      if (released) return
      released = true
      checkedOut.delete(client)
      client.removeListener('error', onError)
      release(err)
    }
    client.release = free
    client.on('error', onError)
    checkedOut.add(client)
    return client
  }

  const connect = pool.connect.bind(pool) as (
    cb?: (err: Error | undefined, client?: PoolClient, done?: (err?: Error | boolean) => void) => void,
  ) => Promise<PoolClient> | undefined
  // Both forms: drizzle awaits the promise; pool.query() passes a callback and calls client.release.
  pool.connect = ((cb?: (err: Error | undefined, client?: PoolClient, done?: unknown) => void) => {
    if (!cb)
      return (connect() as Promise<PoolClient>).then(guard, (err: Error) => {
        onConnectFailed(err)
        throw err
      })
    return connect((err, client, done) => {
      if (err) onConnectFailed(err)
      if (err || !client) return cb(err, client, done)
      const guarded = guard(client)
      cb(undefined, guarded, guarded.release)
    })
  }) as Pool['connect']

  return {
    async end(graceMs = CLOSE_GRACE_MS) {
      const ended = pool.end()
      let timer: NodeJS.Timeout | undefined
      const graceOver = new Promise<'grace-over'>((resolve) => {
        timer = setTimeout(() => resolve('grace-over'), graceMs)
        timer.unref()
      })
      if ((await Promise.race([ended, graceOver])) === 'grace-over') {
        // Nothing legitimate holds a client at shutdown (requests and jobs stopped first): a
        // client still out is leaked or stuck on a dead connection. Released with an error, the
        // pool destroys it, and end() can finish.
        for (const client of [...checkedOut]) client.release(new Error('database closing'))
        await ended
      }
      clearTimeout(timer)
    },
  }
}
