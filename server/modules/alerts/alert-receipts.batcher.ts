import type { Db } from '../../db/client'
import { alertRecipientsRepository } from './alert-recipients.repository'
import { type AlertRow, alertsRepository } from './alerts.repository'

type ReceiptState = 'delivered' | 'read'

interface Waiting {
  alertId: string
  state: ReceiptState
  /** Set when the recipient rows may not be written yet: those in the audience are written first. */
  audiencePaths: string[] | null
  userIds: Set<string>
  settle: { userId: string; resolve: (found: boolean) => void; reject: (err: unknown) => void }[]
}

/**
 * Thousands of devices confirm one alert within a second of each other. Written one by one, every
 * receipt waits for the lock on the alert's counter row. Receipts that arrive within a few
 * milliseconds are written together instead (one statement per alert and state), and each request
 * is answered only once its batch has committed: an acknowledged receipt is never lost.
 */
export class ReceiptBatcher {
  private readonly waiting = new Map<string, Waiting>()
  private timer: NodeJS.Timeout | undefined
  private readonly alerts = new Map<string, { row: Promise<AlertRow | undefined>; until: number }>()
  private readonly paths = new Map<string, { paths: Promise<string[]>; until: number }>()
  /** The batch being written; the next one starts when it ends. */
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Db,
    private readonly windowMs = 5,
    private readonly maxBatch = 1000,
  ) {}

  /** The alert as of at most a second ago: its state decides whether receipts are taken. */
  alert(id: string): Promise<AlertRow | undefined> {
    const now = Date.now()
    const cached = this.alerts.get(id)
    if (cached && cached.until > now) return cached.row
    if (this.alerts.size > 1000) this.alerts.clear()
    const row = alertsRepository.get(this.db, id)
    this.alerts.set(id, { row, until: now + 1000 })
    row.catch(() => this.alerts.delete(id))
    return row
  }

  /** The alert's target paths, as of at most a second ago (the audience of early receipts). */
  targetPaths(id: string): Promise<string[]> {
    const now = Date.now()
    const cached = this.paths.get(id)
    if (cached && cached.until > now) return cached.paths
    if (this.paths.size > 1000) this.paths.clear()
    const paths = alertsRepository.targets(this.db, id).then((ts) => ts.map((t) => t.path))
    this.paths.set(id, { paths, until: now + 1000 })
    paths.catch(() => this.paths.delete(id))
    return paths
  }

  /**
   * Resolves once written: true when the person's recipient row was there to mark. With
   * `audiencePaths` (receipts arriving before the job has written every row), the rows of those in
   * the audience are written first, for the whole batch in one statement.
   */
  add(alertId: string, userId: string, state: ReceiptState, audiencePaths?: string[]): Promise<boolean> {
    const key = `${alertId}:${state}:${audiencePaths ? 'audience' : 'rows'}`
    let batch = this.waiting.get(key)
    if (!batch) {
      batch = { alertId, state, audiencePaths: audiencePaths ?? null, userIds: new Set(), settle: [] }
      this.waiting.set(key, batch)
    }
    batch.userIds.add(userId)
    const done = new Promise<boolean>((resolve, reject) => batch.settle.push({ userId, resolve, reject }))
    if (batch.userIds.size >= this.maxBatch) this.write(key)
    else this.timer ??= setTimeout(() => this.flush(), this.windowMs)
    return done
  }

  private flush(): void {
    this.timer = undefined
    for (const key of [...this.waiting.keys()]) this.write(key)
  }

  private write(key: string): void {
    const batch = this.waiting.get(key)
    if (!batch) return
    this.waiting.delete(key)
    // One batch at a time per instance: 20,000 devices confirming together must not take every
    // database connection (the publish and the push jobs need theirs); receipts arriving meanwhile
    // wait in the next, larger batches.
    this.writing = this.writing.then(() => this.writeBatch(batch))
  }

  private async writeBatch(batch: Waiting): Promise<void> {
    const { alertId, audiencePaths, state } = batch
    const userIds = [...batch.userIds]
    try {
      const inAudience = audiencePaths
        ? await alertRecipientsRepository.ensure(this.db, alertId, userIds, audiencePaths)
        : null
      const found = await alertRecipientsRepository.markMany(
        this.db,
        alertId,
        inAudience ? userIds.filter((id) => inAudience.has(id)) : userIds,
        state,
      )
      for (const s of batch.settle) s.resolve(found.has(s.userId))
    } catch (err) {
      for (const s of batch.settle) s.reject(err)
    }
  }
}
