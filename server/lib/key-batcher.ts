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

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 500,
    /** How long the first key of a batch waits for others; 0: the end of this turn of the loop. */
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
    if (this.windowMs > 0) setTimeout(go, this.windowMs)
    else setImmediate(go)
  }

  private async run(): Promise<void> {
    if (this.loading || this.pending.size === 0) return
    this.loading = true
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
