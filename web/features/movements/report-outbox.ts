import type { TGuestListRequest, TGuestListSubmitted } from '@common/schemas/guest-lists'
import type { TCreateReportRequest, TReportSubmitted } from '@common/schemas/movements'
import { apiFetch, idempotencyKeyOf, isRefusal } from '../../api/client'

/**
 * Reports waiting for the network, kept in localStorage with the client key made when the form was
 * sent: a resident on a weak connection taps "Gửi" once, closes the page, and the report still
 * arrives — once — when the phone is back online (the server answers a repeated key with the first
 * report). A report the server refuses (4xx) stays with its reason until the resident fixes it.
 * A business's guest list typed in the form goes through the same outbox (`target: 'guest-list'`):
 * the server answers a repeated list key with the first list, so it too arrives once.
 */
export type PendingReport =
  | { target?: 'report'; request: TCreateReportRequest; savedAt: string; error?: string }
  | { target: 'guest-list'; request: TGuestListRequest; savedAt: string; error?: string }

const KEY = 'nhipcau.reports-outbox.v1'
type Listener = (items: PendingReport[]) => void
const listeners = new Set<Listener>()

function read(): PendingReport[] {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '[]')
    return Array.isArray(parsed) ? (parsed as PendingReport[]) : []
  } catch {
    return []
  }
}
function write(items: PendingReport[]) {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(items))
  } catch {
    // Storage full or disabled: the report is still tried while the page is open.
  }
  for (const l of listeners) l(items)
}
const without = (clientKey: string) => read().filter((i) => i.request.clientKey !== clientKey)

/**
 * A request that hangs (a weak connection that neither answers nor fails) would hold the outbox,
 * and every later retry, for good: it is abandoned after this long and tried again with its key.
 */
const SEND_TIMEOUT_MS = 20_000

const post = <T>(path: string, request: { clientKey?: string }) =>
  apiFetch<T>(path, {
    method: 'POST',
    body: request,
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    // The outbox's client key, kept across reloads: a resend is answered with the first record.
    idempotencyKey: idempotencyKeyOf(request.clientKey),
  })
export const postReport = (request: TCreateReportRequest) =>
  post<TReportSubmitted>('/api/movements/reports', request)
const postItem = (item: PendingReport) =>
  item.target === 'guest-list'
    ? post<TGuestListSubmitted>('/api/movements/guest-lists', item.request)
    : postReport(item.request)

/**
 * Sends a report through the outbox. Resolves with the server's answer; a network failure leaves
 * it waiting (resolves `null`), a refusal removes it and rethrows so the form can show the fields.
 */
export const sendReport = (request: TCreateReportRequest) =>
  send<TReportSubmitted>({ request, savedAt: new Date().toISOString() })

/** A guest list typed in the form, through the same outbox (same rules as a report). */
export const sendGuestList = (request: TGuestListRequest) =>
  send<TGuestListSubmitted>({ target: 'guest-list', request, savedAt: new Date().toISOString() })

async function send<T>(item: PendingReport): Promise<T | null> {
  const { request } = item
  write([...without(request.clientKey), item])
  try {
    const sent = (await postItem(item)) as T
    write(without(request.clientKey))
    return sent
  } catch (err) {
    if (isRefusal(err)) {
      write(without(request.clientKey))
      throw err
    }
    schedule()
    return null
  }
}

let timer: ReturnType<typeof setTimeout> | undefined
let delay = 2000
let running = false

/** Retries everything waiting, oldest first, with the same keys; backs off while offline. */
export async function flushReports(): Promise<void> {
  if (running) return
  running = true
  clearTimeout(timer)
  try {
    for (const item of read().filter((i) => !i.error)) {
      try {
        await postItem(item)
        write(without(item.request.clientKey))
        delay = 2000
      } catch (err) {
        if (isRefusal(err)) {
          const error = err.detail ?? err.errors?.[0]?.message ?? err.title
          write(read().map((i) => (i.request.clientKey === item.request.clientKey ? { ...i, error } : i)))
          continue
        }
        schedule()
        return
      }
    }
  } finally {
    running = false
  }
}

function schedule() {
  clearTimeout(timer)
  timer = setTimeout(() => void flushReports(), delay)
  delay = Math.min(delay * 2, 60_000)
}

export function pendingReports(): PendingReport[] {
  return read()
}
export function discardReport(clientKey: string) {
  write(without(clientKey))
}
export function onReportsChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

globalThis.addEventListener?.('online', () => {
  delay = 2000
  void flushReports()
})
