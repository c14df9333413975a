import { createHmac, randomBytes } from 'node:crypto'

/**
 * A fixed-window counter for the anonymous routes, kept only in this process's memory. Keys are
 * HMACs of the caller's address under a random salt made at start-up and never written anywhere,
 * so not even memory holds an IP address, and nothing survives a restart.
 */
export class AnonymousRateLimiter {
  private readonly salt = randomBytes(32)
  private readonly windows = new Map<string, { count: number; resetAt: number }>()

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one hit; false when the caller is over the limit. */
  hit(address: string, now = Date.now()): boolean {
    const key = createHmac('sha256', this.salt).update(address).digest('base64url')
    const current = this.windows.get(key)
    if (!current || current.resetAt <= now) {
      if (this.windows.size >= this.maxKeys) this.sweep(now)
      this.windows.set(key, { count: 1, resetAt: now + this.windowMs })
      return true
    }
    current.count++
    return current.count <= this.max
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key)
    // Still full (a flood): forget the oldest half rather than grow without bound.
    if (this.windows.size >= this.maxKeys) {
      let drop = Math.floor(this.windows.size / 2)
      for (const key of this.windows.keys()) {
        if (drop-- <= 0) break
        this.windows.delete(key)
      }
    }
  }
}
