/**
 * At most `limit` tasks at once; the others wait in order. Keeps many requests in flight without
 * opening thousands of sockets or holding thousands of encrypted bodies in memory at once.
 */
export class ConcurrencyLimit {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('concurrency limit must be ≥ 1')
  }

  get running(): number {
    return this.active
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.active++
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      // The slot passes straight to the next waiter, so `active` never dips below the limit
      // between tasks and a newcomer cannot jump the queue.
      if (next) next()
      else this.active--
    }
  }
}
