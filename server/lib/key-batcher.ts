/** A batch that began within this many windows means lookups are coming in a storm. */
const STORM_WINDOWS = 5

/**
 * Coalesces lookups by key into one call of `loadMany`: keys asked in the same turn of the event
 * loop go together, and keys asked while a batch is being loaded wait for it to end and go in the
 * next one. A reconnect storm (thousands of sockets upgrading at once after a restart) then reads
 * its sessions in a few statements instead of one each, and never holds more than one database
 * connection for it. The same key asked twice in one batch is loaded once.
 */
export class KeyBatcher<K, V> {
  private pending = new Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>()
  private loading = false
  private scheduled = false
  /** When the last batch began (performance.now()). */
  private lastRunAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 500,
    /**
     * How long the first key of a batch waits for others while batches follow one another (a storm:
     * one began in the last STORM_WINDOWS windows); otherwise, and when 0, until the end of this
     * turn of the loop. A lone lookup then never waits, and a storm's go in fewer, larger batches.
     */
    private readonly windowMs = 0,
  ) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key)
      if (waiting) waiting.push({ resolve, reject })
      else this.pending.set(key, [{ resolve, reject }])
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.loading || this.scheduled || this.pending.size === 0) return
    this.scheduled = true
    const go = () => {
      this.scheduled = false
      void this.run()
    }
    // Not a microtask: the upgrades whose bytes arrived in the same read are parsed in this turn of
    // the loop and join the batch.
    const inStorm = performance.now() - this.lastRunAt < this.windowMs * STORM_WINDOWS
    if (this.windowMs > 0 && inStorm) setTimeout(go, this.windowMs)
    else setImmediate(go)
  }

  private async run(): Promise<void> {
    if (this.loading || this.pending.size === 0) return
    this.loading = true
    this.lastRunAt = performance.now()
    const batch = new Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>()
    for (const [key, waiting] of this.pending) {
      if (batch.size >= this.maxBatch) break
      batch.set(key, waiting)
    }
    for (const key of batch.keys()) this.pending.delete(key)
    try {
      const found = await this.loadMany([...batch.keys()])
      for (const [key, waiting] of batch) for (const w of waiting) w.resolve(found.get(key))
    } catch (err) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(err)
    } finally {
      this.loading = false
      this.schedule()
    }
  }
}
