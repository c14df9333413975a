/** The longest pause a push service can ask for that we honour; beyond it the job's own backoff rules. */
const MAX_PAUSE_MS = 3_600_000
/** Consecutive 5xx answers (without Retry-After) after which the whole service is taken to be unwell. */
const FAILURES_BEFORE_PAUSE = 3

/**
 * Retry-After as RFC 9110 gives it: delay-seconds or an HTTP-date. Returns milliseconds from now,
 * or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * Per push-service origin: after a 429 or 503 (or repeated 5xx), nothing more is sent to that
 * service until the pause ends — Retry-After when it says, else 1 s doubling per failure up to a
 * minute. Other services are unaffected. One failing device (a single 500) does not pause a service.
 */
export class PushServiceBackoff {
  private readonly origins = new Map<string, { pausedUntil: number; failures: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  /** When sending to `origin` may resume, or undefined if it may be sent to now. */
  pausedUntil(origin: string): Date | undefined {
    const state = this.origins.get(origin)
    return state && state.pausedUntil > this.now() ? new Date(state.pausedUntil) : undefined
  }

  succeeded(origin: string): void {
    this.origins.delete(origin)
  }

  /**
   * Records a 429/5xx answer (status 0: no connection). Returns when the service may be tried
   * again if it is now paused; undefined when only this one request failed (the job's own backoff
   * then decides).
   */
  failed(origin: string, status: number, retryAfter: string | undefined): Date | undefined {
    const state = this.origins.get(origin) ?? { pausedUntil: 0, failures: 0 }
    state.failures++
    const asked = parseRetryAfter(retryAfter, this.now())
    const fallback = Math.min(1000 * 2 ** (state.failures - 1), 60_000)
    const delay = Math.min(asked ?? fallback, MAX_PAUSE_MS)
    const pausesService =
      status === 429 || status === 503 || asked !== undefined || state.failures >= FAILURES_BEFORE_PAUSE
    this.origins.set(origin, state)
    if (!pausesService) return undefined
    state.pausedUntil = Math.max(state.pausedUntil, this.now() + delay)
    return new Date(state.pausedUntil)
  }
}
