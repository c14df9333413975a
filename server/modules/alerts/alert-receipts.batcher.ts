import type { Db } from '../../db/client'
import { alertRecipientsRepository } from './alert-recipients.repository'
import { type AlertRow, alertsRepository } from './alerts.repository'

type ReceiptState = 'delivered' | 'read'

interface Waiting {
  alertId: string
  state: ReceiptState
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

  /** Resolves once written: true when the person's recipient row was there to mark. */
  add(alertId: string, userId: string, state: ReceiptState): Promise<boolean> {
    const key = `${alertId}:${state}`
    let batch = this.waiting.get(key)
    if (!batch) {
      batch = { alertId, state, userIds: new Set(), settle: [] }
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
    alertRecipientsRepository.markMany(this.db, batch.alertId, [...batch.userIds], batch.state).then(
      (found) => {
        for (const s of batch.settle) s.resolve(found.has(s.userId))
      },
      (err) => {
        for (const s of batch.settle) s.reject(err)
      },
    )
  }
}
