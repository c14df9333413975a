import { isDatabaseUnavailable } from './unavailable'

/** Whether the app can reach PostgreSQL, as its connections tell: lost on the first failure, regained on the next connection. */
export interface DatabaseReachability {
  reachable(): boolean
  /** Called once when the database goes away and once when it is back (the app logs each in one line). */
  onChange(listener: (reachable: boolean) => void): () => void
}

/**
 * Follows the pool's connections: a connection that fails or drops because the server went away
 * (refused, reset, shut down: `isDatabaseUnavailable`) marks the database lost; the next new
 * connection marks it back. Under load an outage fails hundreds of requests, but changes this twice.
 */
export class ConnectionReachability implements DatabaseReachability {
  private current = true
  private readonly listeners = new Set<(reachable: boolean) => void>()

  reachable(): boolean {
    return this.current
  }

  onChange(listener: (reachable: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A connection failed or dropped; only a database going away counts (not a failed query). */
  failed(err: unknown): void {
    if (this.current && isDatabaseUnavailable(err)) this.set(false)
  }

  /** A new connection was made. */
  connected(): void {
    if (!this.current) this.set(true)
  }

  private set(reachable: boolean): void {
    this.current = reachable
    for (const listener of this.listeners) listener(reachable)
  }
}
